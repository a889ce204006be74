#include "ui/export/heatmap_figure.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace maxstate::ui {

QCPColorGradient divergingGradient() {
  QCPColorGradient g;
  g.clearColorStops();
  g.setColorInterpolation(QCPColorGradient::ciRGB);
  g.setColorStopAt(0.0, QColor(5, 48, 97));
  g.setColorStopAt(0.25, QColor(67, 147, 195));
  g.setColorStopAt(0.5, QColor(247, 247, 247));
  g.setColorStopAt(0.75, QColor(214, 96, 77));
  g.setColorStopAt(1.0, QColor(103, 0, 31));
  return g;
}

QCPColorGradient sequentialGradient() {
  // viridis, sampled (QCustomPlot 2.1 has no gpViridis)
  QCPColorGradient g;
  g.clearColorStops();
  g.setColorInterpolation(QCPColorGradient::ciRGB);
  const QColor stops[] = {QColor(68, 1, 84),    QColor(72, 40, 120),  QColor(62, 74, 137),
                          QColor(49, 104, 142), QColor(38, 130, 142), QColor(31, 158, 137),
                          QColor(53, 183, 121), QColor(109, 205, 89), QColor(180, 222, 44),
                          QColor(253, 231, 37)};
  for (int i = 0; i < 10; ++i) g.setColorStopAt(i / 9.0, stops[i]);
  return g;
}

namespace {

// Positions and channels are whole numbers: ticks at multiples of 1, 2, 5, 10, ...
QSharedPointer<QCPAxisTicker> integerTicker() {
  auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
  ticker->setTickStep(1.0);
  ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
  ticker->setTickCount(8);
  return ticker;
}

}  // namespace

void buildHeatmapFigure(QCustomPlot& plot, const HeatmapData& data) {
  plot.clearPlottables();
  plot.plotLayout()->clear();
  plot.setBackground(Qt::white);

  auto* title =
      new QCPTextElement(&plot, QString::fromStdString(data.title), QFont("DejaVu Sans", 11, QFont::Bold));
  plot.plotLayout()->addElement(0, 0, title);
  auto* panels = new QCPLayoutGrid;
  plot.plotLayout()->addElement(1, 0, panels);
  auto* scale = new QCPColorScale(&plot);
  plot.plotLayout()->addElement(1, 1, scale);
  scale->setType(QCPAxis::atRight);
  scale->axis()->setLabel(QString::fromStdString(data.valueLabel));

  const bool source = !data.sources.empty();
  double lo = 0, hi = 0;
  for (const FloatArray& p : data.panels)
    for (int64_t i = 0; i < p.size(); ++i)
      if (std::isfinite(p[i])) {
        lo = std::min(lo, double(p[i]));
        hi = std::max(hi, double(p[i]));
      }
  QCPRange range;
  if (source) {
    range = QCPRange(data.begin, std::max<double>(data.begin + data.positions() - 1, data.begin + 1));
    range.lower = 0;  // a source can be any earlier position
  } else {
    const double m = std::max({std::abs(lo), std::abs(hi), 1e-12});
    range = QCPRange(-m, m);
  }

  auto* margins = new QCPMarginGroup(&plot);
  const int64_t n = data.positions(), dh = data.channels();
  const bool labelled = !data.positionLabels.empty() && n <= kMaxLabelledPositions;
  for (size_t k = 0; k < data.panels.size(); ++k) {
    auto* rect = new QCPAxisRect(&plot);
    panels->addElement(static_cast<int>(k), 0, rect);
    rect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    QCPAxis* y = rect->axis(QCPAxis::atLeft);
    auto* map = new QCPColorMap(x, y);
    map->data()->setSize(static_cast<int>(n), static_cast<int>(dh));
    map->data()->setRange(QCPRange(data.begin, data.begin + n - 1), QCPRange(0, dh - 1));
    const FloatArray& p = data.panels[k];
    for (int64_t j = 0; j < dh; ++j)
      for (int64_t i = 0; i < n; ++i)
        map->data()->setCell(static_cast<int>(i), static_cast<int>(j), p.at({j, i}));
    map->setInterpolate(false);
    map->setColorScale(scale);
    map->setGradient(source ? sequentialGradient() : divergingGradient());
    map->setDataRange(range);
    x->setRange(data.begin - 0.5, data.begin + n - 0.5);
    y->setRange(-0.5, dh - 0.5);
    y->setRangeReversed(true);  // channel 0 at the top, as in a matrix
    y->setLabel(data.panels.size() > 1 ? QString::fromStdString(data.panelNames[k]) + " · channel"
                                       : QStringLiteral("channel"));
    if (k + 1 == data.panels.size())
      x->setLabel(labelled ? QStringLiteral("token") : QStringLiteral("position"));
    if (labelled) {
      auto ticker = QSharedPointer<QCPAxisTickerText>::create();
      for (int64_t i = 0; i < n; ++i)
        ticker->addTick(double(data.begin + i), QString::fromStdString(data.positionLabels[i]));
      x->setTicker(ticker);
      x->setTickLabelRotation(n > 16 ? 60 : 0);
    } else {
      x->setTicker(integerTicker());
    }
    y->setTicker(integerTicker());
  }
  scale->setGradient(source ? sequentialGradient() : divergingGradient());
  scale->setDataRange(range);
  auto* scaleMargins = new QCPMarginGroup(&plot);
  scale->setMarginGroup(QCP::msBottom | QCP::msTop, scaleMargins);
  if (data.panels.size() == 1)
    panels->element(0, 0)->setMarginGroup(QCP::msBottom | QCP::msTop, scaleMargins);
  plot.replot(QCustomPlot::rpImmediateRefresh);
}

}  // namespace maxstate::ui
