#include "ui/views/themed_plot.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QMenu>
#include <QPainter>

#include "ui/style/theme.h"

namespace maxstate::ui {

ThemedPlot::ThemedPlot(QWidget* parent) : QCustomPlot(parent) {
  setMinimumSize(160, 120);
  stylePlot(this);
}

QCPLayer* ThemedPlot::cursorLayer() {
  const QString name = QStringLiteral("cursor");
  if (QCPLayer* existing = layer(name)) return existing;
  addLayer(name, layer(QStringLiteral("main")), QCustomPlot::limAbove);
  QCPLayer* created = layer(name);
  created->setMode(QCPLayer::lmBuffered);
  return created;
}

void ThemedPlot::replotCursor() {
  // QCPLayer::replot falls back to a full replot while the other layers' buffers are not valid yet.
  cursorLayer()->replot();
}

QCPItemStraightLine* ThemedPlot::addCursorLine(QCPAxisRect* rect) {
  auto* line = new QCPItemStraightLine(this);
  line->setLayer(cursorLayer());
  if (rect) {
    line->setClipAxisRect(rect);
    for (QCPItemPosition* p : {line->point1, line->point2})
      p->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
  }
  line->setPen(QPen(cursorColor(palette()), 1.5));
  line->setSelectable(false);
  moveCursorLine(line, 0);
  connect(this, &ThemedPlot::restyled, line,
          [this, line] { line->setPen(QPen(cursorColor(palette()), 1.5)); });
  return line;
}

HeatmapParts ThemedPlot::addHeatmap(const QString& xLabel, const QString& yLabel, const QString& scaleLabel,
                                    const QCPColorGradient& gradient) {
  HeatmapParts parts{};
  plotLayout()->insertRow(0);
  parts.title = new QCPTextElement(this, QString(), QFont(font().family(), font().pointSize(), QFont::Bold));
  plotLayout()->addElement(0, 0, parts.title);
  xAxis->setLabel(xLabel);
  yAxis->setLabel(yLabel);
  parts.map = new QCPColorMap(xAxis, yAxis);
  parts.map->setInterpolate(false);
  parts.scale = new QCPColorScale(this);
  parts.scale->axis()->setLabel(scaleLabel);
  plotLayout()->addElement(1, 1, parts.scale);
  parts.map->setColorScale(parts.scale);
  parts.map->setGradient(gradient);
  auto* margins = new QCPMarginGroup(this);
  axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
  parts.scale->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
  return parts;
}

QSharedPointer<QCPAxisTickerFixed> ThemedPlot::integerTicker() {
  auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
  ticker->setTickStep(1.0);
  ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
  return ticker;
}

void ThemedPlot::moveCursorLine(QCPItemStraightLine* line, double x) {
  line->point1->setCoords(x, 0);
  line->point2->setCoords(x, 1);
}

void ThemedPlot::copyImage() {
  // At the screen's pixel density, so that it pastes as sharp as it looks.
  QApplication::clipboard()->setPixmap(toPixmap(width(), height(), devicePixelRatioF()));
}

PlotTable ThemedPlot::exportTable() { return m_tableProvider ? m_tableProvider() : tableFromPlot(*this); }

void ThemedPlot::setPlaceholder(const QString& text) {
  if (text == m_placeholder) return;
  m_placeholder = text;
  update();
}

void ThemedPlot::paintEvent(QPaintEvent* event) {
  if (m_placeholder.isEmpty()) return QCustomPlot::paintEvent(event);
  QPainter painter(this);
  painter.fillRect(rect(), palette().color(QPalette::Base));
  QColor text = palette().color(QPalette::Text);
  text.setAlphaF(0.65f);  // a hint, not data
  painter.setPen(text);
  painter.drawText(rect().adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
}

void ThemedPlot::contextMenuEvent(QContextMenuEvent* event) {
  if (!m_placeholder.isEmpty()) return;  // nothing to export or copy
  QMenu menu(this);
  menu.addAction(tr("Export %1...").arg(m_exportName.isEmpty() ? tr("this plot") : m_exportName), this,
                 &ThemedPlot::exportRequested);
  menu.addAction(tr("Copy the image"), this, &ThemedPlot::copyImage);
  if (m_menuExtender) {
    menu.addSeparator();
    m_menuExtender(menu, event->pos());
  }
  menu.exec(event->globalPos());
}

void ThemedPlot::changeEvent(QEvent* event) {
  QCustomPlot::changeEvent(event);
  if (event->type() == QEvent::PaletteChange) {
    stylePlot(this);
    emit restyled();
    replotSoon();
  }
}

}  // namespace maxstate::ui
