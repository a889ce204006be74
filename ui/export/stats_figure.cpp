#include "ui/export/stats_figure.h"

#include <qcustomplot.h>

#include <algorithm>
#include <limits>

#include "ui/export/heatmap_figure.h"

namespace maxstate::ui {

int64_t runningMeanWindow(int64_t length) { return std::clamp<int64_t>(length / 100, 1, 1024); }

std::vector<double> runningMean(const FloatArray& values, int64_t window) {
  std::vector<double> out(static_cast<size_t>(values.size()));
  double sum = 0;
  for (int64_t i = 0; i < values.size(); ++i) {
    sum += values[i];
    if (i >= window) sum -= values[i - window];
    out[static_cast<size_t>(i)] = sum / static_cast<double>(std::min(i + 1, window));
  }
  return out;
}

namespace {

const QFont kTitleFont("DejaVu Sans", 11, QFont::Bold);

// The training length: a dashed vertical line across the rect, labelled in the first one.
void markTrainLength(QCustomPlot& plot, QCPAxisRect* rect, int64_t trainLength, bool label) {
  auto* line = new QCPItemStraightLine(&plot);
  line->setClipAxisRect(rect);
  for (QCPItemPosition* p : {line->point1, line->point2})
    p->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
  line->point1->setCoords(double(trainLength), 0);
  line->point2->setCoords(double(trainLength), 1);
  line->setPen(QPen(QColor(200, 30, 30), 1.5, Qt::DashLine));
  if (!label) return;
  auto* text = new QCPItemText(&plot);
  text->setClipAxisRect(rect);
  text->position->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
  text->position->setAxisRect(rect);
  text->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
  text->position->setCoords(double(trainLength), 0.02);
  text->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
  text->setText(QStringLiteral(" training length %1").arg(trainLength));
  text->setColor(QColor(200, 30, 30));
}

// Mean state norm over heads, layer x position.
void addNormMap(QCustomPlot& plot, QCPAxisRect* rect, const LongContextStats& s) {
  const int64_t L = s.stateNorm.dim(0), S = s.length, H = s.stateNorm.dim(2);
  auto* map = new QCPColorMap(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
  map->data()->setSize(static_cast<int>(S), static_cast<int>(L));
  map->data()->setRange(QCPRange(s.begin, s.begin + std::max<int64_t>(S - 1, 1)),
                        QCPRange(0, std::max<int64_t>(L - 1, 1)));
  for (int64_t l = 0; l < L; ++l)
    for (int64_t t = 0; t < S; ++t) {
      double sum = 0;
      for (int64_t h = 0; h < H; ++h) sum += s.stateNorm.at({l, t, h});
      map->data()->setCell(static_cast<int>(t), static_cast<int>(l), sum / double(H));
    }
  map->setInterpolate(false);
  map->setGradient(viridisGradient());
  auto* scale = new QCPColorScale(&plot);
  plot.plotLayout()->addElement(1, 1, scale);
  scale->setType(QCPAxis::atRight);
  scale->axis()->setLabel(QStringLiteral("mean state norm over heads"));
  scale->setGradient(viridisGradient());
  map->setColorScale(scale);  // the scale's gradient is the map's from now on
  map->rescaleDataRange(true);
  auto* heights = new QCPMarginGroup(&plot);  // the scale as tall as the map
  scale->setMarginGroup(QCP::msBottom | QCP::msTop, heights);
  rect->setMarginGroup(QCP::msBottom | QCP::msTop, heights);
  auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();  // whole layers only
  ticker->setTickStep(1.0);
  ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
  rect->axis(QCPAxis::atLeft)->setTicker(ticker);
  rect->axis(QCPAxis::atLeft)->setRange(-0.5, L - 0.5);
  rect->axis(QCPAxis::atLeft)->setRangeReversed(true);  // layer 0 at the top
  rect->axis(QCPAxis::atLeft)->setLabel(QStringLiteral("layer"));
}

// A bare layer: each head's state norm as a line.
void addNormLines(QCustomPlot& plot, QCPAxisRect* rect, const LongContextStats& s) {
  const int64_t S = s.length, H = s.stateNorm.dim(2);
  for (int64_t h = 0; h < H; ++h) {
    auto* g = plot.addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    g->setName(QStringLiteral("head %1").arg(h));
    g->setPen(QPen(QColor::fromHsv(int(h * 360 / H), 200, 190), 1.2));
    QVector<double> keys(S), values(S);
    for (int64_t t = 0; t < S; ++t) {
      keys[t] = double(s.begin + t);
      values[t] = s.stateNorm.at({0, t, h});
    }
    g->setData(keys, values, true);
  }
  rect->axis(QCPAxis::atLeft)->rescale();
  rect->axis(QCPAxis::atLeft)->setLabel(QStringLiteral("state norm"));
  auto* legend = new QCPLegend;
  rect->insetLayout()->addElement(legend, Qt::AlignTop | Qt::AlignLeft);
  legend->setLayer(QStringLiteral("legend"));
  for (int i = 0; i < plot.graphCount(); ++i) plot.graph(i)->addToLegend(legend);
}

void addNll(QCustomPlot& plot, QCPAxisRect* rect, const LongContextStats& s) {
  const int64_t n = s.nll.size(), window = runningMeanWindow(n);
  const std::vector<double> mean = runningMean(s.nll, window);
  QVector<double> keys(n), raw(n), smooth(n);
  for (int64_t i = 0; i < n; ++i) {
    keys[i] = double(s.begin + i);
    raw[i] = s.nll[i];
    smooth[i] = mean[static_cast<size_t>(i)];
  }
  QCPAxis* x = rect->axis(QCPAxis::atBottom);
  QCPAxis* y = rect->axis(QCPAxis::atLeft);
  auto* g = plot.addGraph(x, y);
  g->setName(QStringLiteral("NLL"));
  g->setPen(QPen(QColor(150, 150, 150), 0.8));
  g->setData(keys, raw, true);
  auto* m = plot.addGraph(x, y);
  m->setName(QStringLiteral("running mean over %1 tokens").arg(window));
  m->setPen(QPen(QColor(20, 60, 160), 2));
  m->setData(keys, smooth, true);
  y->rescale();
  y->setLabel(QStringLiteral("NLL of the next token (nats)"));
  auto* legend = new QCPLegend;
  rect->insetLayout()->addElement(legend, Qt::AlignTop | Qt::AlignLeft);
  legend->setLayer(QStringLiteral("legend"));
  g->addToLegend(legend);
  m->addToLegend(legend);
}

}  // namespace

void buildStatsFigure(QCustomPlot& plot, const LongContextStats& s, const std::string& title,
                      int64_t trainLength) {
  plot.clearPlottables();
  plot.clearItems();
  plot.plotLayout()->clear();
  plot.setBackground(Qt::white);
  plot.plotLayout()->addElement(0, 0, new QCPTextElement(&plot, QString::fromStdString(title), kTitleFont));
  const bool model = s.stateNorm.dim(0) > 1 || !s.nll.empty();
  const bool withNll = s.nll.size() > 0;
  auto* margins = new QCPMarginGroup(&plot);
  std::vector<QCPAxisRect*> rects;
  for (int r = 0; r < (withNll ? 2 : 1); ++r) {
    auto* rect = new QCPAxisRect(&plot);
    plot.plotLayout()->addElement(r + 1, 0, rect);
    rect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    rects.push_back(rect);
  }
  if (model)
    addNormMap(plot, rects[0], s);
  else
    addNormLines(plot, rects[0], s);
  if (withNll) addNll(plot, rects[1], s);
  const QCPRange positions(s.begin - 0.5, s.begin + s.length - 0.5);
  for (QCPAxisRect* rect : rects) {
    rect->axis(QCPAxis::atBottom)->setRange(positions);
    rect->axis(QCPAxis::atBottom)->setLabel(QStringLiteral("position"));
    if (trainLength > 0) markTrainLength(plot, rect, trainLength, rect == rects.front());
  }
  plot.replot(QCustomPlot::rpImmediateRefresh);
}

}  // namespace maxstate::ui
