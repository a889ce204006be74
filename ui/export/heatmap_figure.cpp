#include "ui/export/heatmap_figure.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "maxstate/error.h"

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

namespace {

QCPColorGradient gradientFrom(std::initializer_list<const char*> stops) {
  QCPColorGradient g;
  g.clearColorStops();
  const int n = static_cast<int>(stops.size());
  int i = 0;
  for (const char* s : stops) g.setColorStopAt(static_cast<double>(i++) / (n - 1), QColor(QLatin1String(s)));
  g.setColorInterpolation(QCPColorGradient::ciRGB);
  g.setLevelCount(256);
  return g;
}

}  // namespace

// Sampled from matplotlib's maps (QCustomPlot 2.1 has neither).
QCPColorGradient viridisGradient() {
  return gradientFrom(
      {"#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c", "#28ae80", "#5ec962", "#addc30", "#fde725"});
}

QCPColorGradient magmaGradient() {
  return gradientFrom(
      {"#000004", "#1c1044", "#4f127b", "#812581", "#b5367a", "#e55064", "#fb8761", "#fec287", "#fcfdbf"});
}

HeatmapColours parseHeatmapColours(const std::string& text) {
  if (text == "diverging") return HeatmapColours::Diverging;
  if (text == "viridis") return HeatmapColours::Viridis;
  throw Error(ErrorKind::Usage, "unknown colour map '" + text + "': choose diverging or viridis");
}

const char* nameOf(HeatmapColours colours) {
  return colours == HeatmapColours::Viridis ? "viridis" : "diverging";
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

void buildHeatmapFigure(QCustomPlot& plot, const HeatmapData& data, HeatmapColours colours) {
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
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const FloatArray& p : data.panels)
    for (int64_t i = 0; i < p.size(); ++i)
      if (std::isfinite(p[i])) {
        lo = std::min(lo, double(p[i]));
        hi = std::max(hi, double(p[i]));
      }
  if (lo > hi) lo = hi = 0;  // nothing finite
  QCPRange range;
  if (source) {
    range = QCPRange(data.begin, std::max<double>(data.begin + data.positions() - 1, data.begin + 1));
    range.lower = 0;  // a source can be any earlier position
  } else if (colours == HeatmapColours::Viridis) {
    range = QCPRange(lo, hi > lo ? hi : lo + 1e-12);
  } else {
    const double m = std::max({std::abs(lo), std::abs(hi), 1e-12});
    range = QCPRange(-m, m);
  }
  const QCPColorGradient gradient =
      source || colours == HeatmapColours::Viridis ? viridisGradient() : divergingGradient();

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
    map->setGradient(gradient);
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
  scale->setGradient(gradient);
  scale->setDataRange(range);
  auto* scaleMargins = new QCPMarginGroup(&plot);
  scale->setMarginGroup(QCP::msBottom | QCP::msTop, scaleMargins);
  if (data.panels.size() == 1)
    panels->element(0, 0)->setMarginGroup(QCP::msBottom | QCP::msTop, scaleMargins);
  plot.replot(QCustomPlot::rpImmediateRefresh);
}

}  // namespace maxstate::ui
