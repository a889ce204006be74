#include "ui/style/theme.h"

#include <qcustomplot.h>
#include <QApplication>
#include <QStyleFactory>
#include <initializer_list>

namespace maxstate::ui {

Theme themeFromName(const QString& name) {
  return name == QLatin1String("dark") ? Theme::Dark : Theme::Light;
}
QString themeName(Theme theme) {
  return theme == Theme::Dark ? QStringLiteral("dark") : QStringLiteral("light");
}

QPalette paletteFor(Theme theme) {
  if (theme == Theme::Light) {
    QPalette p(QColor(0xf2, 0xf2, 0xf2));
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::Text, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::WindowText, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::Highlight, QColor(0x30, 0x78, 0xd0));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::ToolTipBase, QColor(0xff, 0xff, 0xe8));
    p.setColor(QPalette::ToolTipText, Qt::black);
    return p;
  }
  QPalette p;
  const QColor window(0x2b, 0x2d, 0x30), base(0x1e, 0x1f, 0x22), text(0xe6, 0xe6, 0xe6),
      dim(0x8a, 0x8a, 0x8a);
  p.setColor(QPalette::Window, window);
  p.setColor(QPalette::WindowText, text);
  p.setColor(QPalette::Base, base);
  p.setColor(QPalette::AlternateBase, window);
  p.setColor(QPalette::Text, text);
  p.setColor(QPalette::Button, window);
  p.setColor(QPalette::ButtonText, text);
  p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
  p.setColor(QPalette::Highlight, QColor(0x3d, 0x8e, 0xe8));
  p.setColor(QPalette::HighlightedText, Qt::white);
  p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3c, 0x40));
  p.setColor(QPalette::ToolTipText, text);
  p.setColor(QPalette::PlaceholderText, dim);
  p.setColor(QPalette::Link, QColor(0x6c, 0xb4, 0xff));
  for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
    p.setColor(QPalette::Disabled, role, dim);
  p.setColor(QPalette::Light, QColor(0x45, 0x47, 0x4b));
  p.setColor(QPalette::Midlight, QColor(0x3a, 0x3c, 0x40));
  p.setColor(QPalette::Mid, QColor(0x30, 0x32, 0x35));
  p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
  p.setColor(QPalette::Shadow, Qt::black);
  return p;
}

void applyTheme(Theme theme) {
  if (QStyle* fusion = QStyleFactory::create(QStringLiteral("Fusion"))) QApplication::setStyle(fusion);
  QApplication::setPalette(paletteFor(theme));
}

bool isDark(const QPalette& palette) { return palette.color(QPalette::Window).lightness() < 128; }

void stylePlot(QCustomPlot* plot) {
  const QPalette& p = plot->palette();
  const QColor fg = p.color(QPalette::WindowText);
  QColor grid = fg;
  grid.setAlpha(40);
  plot->setBackground(p.color(QPalette::Base));
  for (QCPAxisRect* rect : plot->axisRects()) {
    rect->setBackground(p.color(QPalette::Base));
    for (QCPAxis* axis : rect->axes()) {
      axis->setBasePen(QPen(fg));
      axis->setTickPen(QPen(fg));
      axis->setSubTickPen(QPen(fg));
      axis->setTickLabelColor(fg);
      axis->setLabelColor(fg);
      axis->grid()->setPen(QPen(grid, 0, Qt::DotLine));
      axis->grid()->setZeroLinePen(Qt::NoPen);
    }
  }
  for (int i = 0; i < plot->plotLayout()->elementCount(); ++i)
    if (auto* title = qobject_cast<QCPTextElement*>(plot->plotLayout()->elementAt(i)))
      title->setTextColor(fg);
  for (auto* element : plot->findChildren<QCPColorScale*>()) {
    QCPAxis* axis = element->axis();
    axis->setBasePen(QPen(fg));
    axis->setTickPen(QPen(fg));
    axis->setSubTickPen(QPen(fg));
    axis->setTickLabelColor(fg);
    axis->setLabelColor(fg);
  }
  if (QCPLegend* legend = plot->legend) {
    legend->setBrush(p.color(QPalette::Base));
    legend->setTextColor(fg);
    legend->setBorderPen(QPen(grid));
  }
}

QColor cursorColor(const QPalette& palette) {
  return isDark(palette) ? QColor(0xff, 0x5c, 0x5c) : QColor(0xd0, 0x10, 0x10);
}

QColor seriesColor(int index) {
  // Tableau 10: distinct on white and on near-black.
  static const char* colors[] = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1",
                                 "#76b7b2", "#edc948", "#ff9da7", "#9c755f", "#bab0ac"};
  return QColor(QLatin1String(colors[index % 10]));
}

}  // namespace maxstate::ui
