#include "ui/views/alphas_view.h"

#include <QFileInfo>
#include <QToolTip>
#include <QVBoxLayout>
#include <cmath>

#include "ui/style/theme.h"
#include "ui/views/checkpoint_list.h"
#include "ui/views/placeholder.h"

namespace maxstate::ui {

namespace {
constexpr int kLinesFrom = 3;        // checkpoints: below this, bars say more than lines
constexpr double kHitPixels = 10.0;  // how near the mouse must be to a point to show or pick it
}  // namespace

AlphasView::AlphasView(Session& session, QWidget* parent)
    : QWidget(parent), m_session(session), m_plot(new ThemedPlot(this)) {
  m_plot->setObjectName("alphasPlot");
  m_plot->setExportName(tr("alphas"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_plot);
  m_plot->setMouseTracking(true);
  connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent* e) {
    if (m_lines) {
      const Hit hit = hitAt(e->position());
      if (hit.checkpoint < 0) return QToolTip::hideText();
      const OpenCheckpoint& c = m_session.checkpoint(hit.checkpoint);
      const QString progress = describeTrainingProgress(c.progress);
      QToolTip::showText(e->globalPosition().toPoint(),
                         tr("%1 (%2)\nlayer %3: %4 = %5\nclick to trace this checkpoint")
                             .arg(QFileInfo(c.path).fileName(), progress.isEmpty() ? tr("no step") : progress)
                             .arg(hit.layer)
                             .arg(alphaName(hit.kind))
                             .arg(hit.value, 0, 'g', 6),
                         m_plot);
      return;
    }
    int index = -1;
    auto* bars = m_plot->plottableAt<QCPBars>(e->position(), false, &index);
    if (!bars || index < 0) return QToolTip::hideText();
    const auto point = bars->data()->at(index);
    QToolTip::showText(e->globalPosition().toPoint(),
                       tr("%1\nlayer %2: %3 = %4")
                           .arg(bars->name())
                           .arg(point->key)
                           .arg(bars->keyAxis()->axisRect()->axis(QCPAxis::atLeft)->label())
                           .arg(point->value, 0, 'g', 6),
                       m_plot);
  });
  connect(m_plot, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) {
    if (!m_lines || e->button() != Qt::LeftButton) return;
    const Hit hit = hitAt(e->position());
    if (hit.checkpoint >= 0) emit checkpointClicked(hit.checkpoint);
  });
  connect(&m_session, &Session::checkpointsChanged, this, &AlphasView::rebuild);
  connect(&m_session, &Session::currentCheckpointChanged, this, &AlphasView::rebuild);
  // The alphas need a checkpoint, not a trace.
  followPlaceholder(m_plot, m_session, [this] { return m_session.checkpointCount() == 0; });
  rebuild();
}

double AlphasView::plottedValue(AlphaKind kind, int checkpoint, int layer) const {
  if (m_lines) {
    const auto it = m_graphs.find({static_cast<int>(kind), layer});
    if (it == m_graphs.end() || checkpoint < 0 || checkpoint >= static_cast<int>(m_x.size())) return qQNaN();
    const double x = m_x[static_cast<size_t>(checkpoint)];
    const auto found = it->second->data()->findBegin(x, false);
    if (found == it->second->data()->constEnd() || found->key != x) return qQNaN();
    return found->value;
  }
  const auto it = m_bars.find({static_cast<int>(kind), checkpoint});
  if (it == m_bars.end()) return qQNaN();
  const auto found = it->second->data()->findBegin(layer, false);
  if (found == it->second->data()->constEnd() || found->key != layer) return qQNaN();
  return found->value;
}

double AlphasView::plottedX(int checkpoint) const {
  if (!m_lines || checkpoint < 0 || checkpoint >= static_cast<int>(m_x.size())) return qQNaN();
  return m_x[static_cast<size_t>(checkpoint)];
}

QPointF AlphasView::pointPixel(AlphaKind kind, int checkpoint, int layer) const {
  const double v = plottedValue(kind, checkpoint, layer);
  const auto it = m_graphs.find({static_cast<int>(kind), layer});
  if (!m_lines || std::isnan(v) || it == m_graphs.end()) return {-1, -1};
  return it->second->coordsToPixels(m_x[static_cast<size_t>(checkpoint)], v);
}

AlphasView::Hit AlphasView::hitAt(const QPointF& pixel) const {
  Hit best;
  double nearest = kHitPixels;
  for (const auto& [key, graph] : m_graphs) {
    if (!graph->keyAxis()->axisRect()->rect().contains(pixel.toPoint())) continue;
    for (size_t c = 0; c < m_x.size(); ++c) {
      const double v = plottedValue(static_cast<AlphaKind>(key.first), static_cast<int>(c), key.second);
      if (std::isnan(v)) continue;
      const QPointF p = graph->coordsToPixels(m_x[c], v);
      const double d = std::hypot(p.x() - pixel.x(), p.y() - pixel.y());
      if (d < nearest) {
        nearest = d;
        best = {static_cast<int>(c), key.second, static_cast<AlphaKind>(key.first), v};
      }
    }
  }
  return best;
}

void AlphasView::placeCheckpoints() {
  // Training order (epoch, step, name; no step last), as `maxstate alphas` lists them.
  std::vector<SeriesEntry> entries;
  for (int c = 0; c < m_session.checkpointCount(); ++c)
    entries.push_back({m_session.checkpoint(c).path.toStdString(), m_session.checkpoint(c).progress});
  sortByTrainingProgress(entries);
  std::vector<int> order;
  for (const SeriesEntry& e : entries) order.push_back(m_session.indexOfPath(QString::fromStdString(e.path)));
  // Steps make the x axis when they increase along training (several epochs restarting the step count do
  // not: then the place in training order does).
  std::vector<int64_t> steps;
  for (int c : order)
    if (const auto& s = m_session.checkpoint(c).progress.step) steps.push_back(*s);
  m_xIsStep = !steps.empty();
  for (size_t i = 1; i < steps.size(); ++i) m_xIsStep = m_xIsStep && steps[i] > steps[i - 1];
  m_x.assign(static_cast<size_t>(m_session.checkpointCount()), qQNaN());
  const double gap = steps.size() > 1 ? static_cast<double>(steps.back() - steps.front()) /
                                            static_cast<double>(steps.size() - 1)
                                      : 1.0;
  double next = steps.empty() ? 0.0 : static_cast<double>(steps.back()) + gap;
  for (size_t i = 0; i < order.size(); ++i) {
    const auto& s = m_session.checkpoint(order[i]).progress.step;
    double x = static_cast<double>(i);
    if (m_xIsStep) {
      x = s ? static_cast<double>(*s) : next;
      if (!s) next += gap;
    }
    m_x[static_cast<size_t>(order[i])] = x;
  }
}

void AlphasView::rebuild() {
  m_plot->clearPlottables();
  m_plot->clearItems();
  qDeleteAll(m_plot->findChildren<QCPBarsGroup*>(Qt::FindDirectChildrenOnly));
  m_plot->plotLayout()->clear();  // removes axis rects and the legend's place; we rebuild everything
  m_bars.clear();
  m_graphs.clear();
  m_rows.clear();
  m_x.clear();

  std::vector<std::vector<LayerAlphas>> tables;
  for (int c = 0; c < m_session.checkpointCount(); ++c)
    tables.push_back(m_session.checkpoint(c).model->alphas());
  for (int k = 0; k < kAlphaKinds; ++k) {
    bool present = false;
    for (const auto& table : tables)
      for (const auto& a : table) present = present || alphaValue(a, static_cast<AlphaKind>(k)).has_value();
    if (present) m_rows.push_back(static_cast<AlphaKind>(k));
  }
  m_lines = static_cast<int>(tables.size()) >= kLinesFrom;
  if (m_lines)
    buildLines(tables);
  else
    buildBars(tables);
  stylePlot(m_plot);
  m_plot->replotSoon();
}

void AlphasView::buildBars(const std::vector<std::vector<LayerAlphas>>& tables) {
  const double groupWidth = 0.8;
  const int n = static_cast<int>(tables.size());
  int row = 0;
  std::vector<QCPAbstractPlottable*> legend;
  for (AlphaKind kind : m_rows) {
    auto* rect = new QCPAxisRect(m_plot);
    m_plot->plotLayout()->addElement(row++, 0, rect);
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    QCPAxis* y = rect->axis(QCPAxis::atLeft);
    y->setLabel(alphaName(kind));
    y->ticker()->setTickCount(3);  // rows are short: a few readable ticks
    auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
    ticker->setTickStep(1.0);
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    x->setTicker(ticker);
    if (kind == m_rows.back()) x->setLabel(tr("layer"));
    auto* group = new QCPBarsGroup(m_plot);
    int layers = 0;
    double lo = 0, hi = 0;
    for (int c = 0; c < n; ++c) {
      auto* bars = new QCPBars(x, y);
      bars->setWidth(groupWidth / std::max(n, 1));
      bars->setPen(Qt::NoPen);
      bars->setBrush(seriesColor(c));
      bars->setName(QFileInfo(m_session.checkpoint(c).path).fileName());
      bars->setBarsGroup(group);
      const auto& table = tables[static_cast<size_t>(c)];
      for (size_t l = 0; l < table.size(); ++l)
        if (const auto v = alphaValue(table[l], kind)) {
          bars->addData(static_cast<double>(l), *v);
          lo = std::min(lo, static_cast<double>(*v));
          hi = std::max(hi, static_cast<double>(*v));
        }
      layers = std::max(layers, static_cast<int>(table.size()));
      if (kind == m_rows.front()) legend.push_back(bars);
      m_bars[{static_cast<int>(kind), c}] = bars;
    }
    x->setRange(-0.6, layers - 0.4);
    const double pad = 0.08 * std::max(hi - lo, 1e-3);
    y->setRange(lo - (lo < 0 ? pad : 0), hi + pad);
  }
  addLegend(row, legend);
}

void AlphasView::buildLines(const std::vector<std::vector<LayerAlphas>>& tables) {
  placeCheckpoints();
  size_t layers = 0;
  for (const auto& t : tables) layers = std::max(layers, t.size());
  double xLo = 0, xHi = 0;
  for (size_t c = 0; c < m_x.size(); ++c) {
    xLo = c == 0 ? m_x[c] : std::min(xLo, m_x[c]);
    xHi = c == 0 ? m_x[c] : std::max(xHi, m_x[c]);
  }
  const double xPad = 0.04 * std::max(xHi - xLo, 1.0);
  const int current = m_session.currentCheckpoint();
  int row = 0;
  std::vector<QCPAbstractPlottable*> legend;
  for (AlphaKind kind : m_rows) {
    auto* rect = new QCPAxisRect(m_plot);
    m_plot->plotLayout()->addElement(row++, 0, rect);
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    QCPAxis* y = rect->axis(QCPAxis::atLeft);
    y->setLabel(alphaName(kind));
    y->ticker()->setTickCount(3);
    x->ticker()->setTickCount(5);
    if (kind == m_rows.back())
      x->setLabel(m_xIsStep ? tr("training step (no step: after the others)")
                            : tr("checkpoint, in training order"));
    double lo = 0, hi = 0;
    bool any = false;
    for (size_t l = 0; l < layers; ++l) {
      auto* graph = new QCPGraph(x, y);
      graph->setName(tr("layer %1").arg(l));
      graph->setPen(QPen(seriesColor(static_cast<int>(l)), 1.5));
      graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
      for (size_t c = 0; c < tables.size(); ++c)
        if (l < tables[c].size())
          if (const auto v = alphaValue(tables[c][l], kind)) {
            graph->addData(m_x[c], *v);
            lo = any ? std::min(lo, static_cast<double>(*v)) : *v;
            hi = any ? std::max(hi, static_cast<double>(*v)) : *v;
            any = true;
          }
      if (kind == m_rows.front()) legend.push_back(graph);
      m_graphs[{static_cast<int>(kind), static_cast<int>(l)}] = graph;
    }
    x->setRange(xLo - xPad, xHi + xPad);
    const double pad = 0.1 * std::max(hi - lo, 1e-3);
    y->setRange(lo - pad, hi + pad);
    if (current >= 0 && current < static_cast<int>(m_x.size()))
      ThemedPlot::moveCursorLine(m_plot->addCursorLine(rect), m_x[static_cast<size_t>(current)]);
    // Checkpoints placed after the others for want of a step say so, above their points.
    if (m_xIsStep && kind == m_rows.front())
      for (size_t c = 0; c < m_x.size(); ++c) {
        if (m_session.checkpoint(static_cast<int>(c)).progress.step) continue;
        auto* label = new QCPItemText(m_plot);
        label->setClipToAxisRect(false);
        label->position->setAxes(x, y);
        label->position->setAxisRect(rect);
        label->position->setTypeX(QCPItemPosition::ptPlotCoords);
        label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        label->position->setCoords(m_x[c], 0.0);
        label->setPositionAlignment(Qt::AlignRight | Qt::AlignBottom);  // the last points: text to their left
        label->setText(
            tr("%1: no step").arg(QFileInfo(m_session.checkpoint(static_cast<int>(c)).path).fileName()));
        label->setColor(palette().color(QPalette::Text));
        label->setFont(QFont(font().family(), std::max(6, font().pointSize() - 2)));
      }
  }
  addLegend(row, legend);
}

void AlphasView::addLegend(int row, const std::vector<QCPAbstractPlottable*>& entries) {
  if (m_rows.empty()) return;
  // The legend under the plots: one entry per checkpoint (bars) or per layer (lines).
  auto* legendRect = new QCPLayoutGrid;
  m_plot->plotLayout()->addElement(row, 0, legendRect);
  m_plot->legend = new QCPLegend;
  legendRect->addElement(0, 0, m_plot->legend);
  m_plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
  m_plot->legend->setWrap(m_lines ? 4 : 2);
  m_plot->plotLayout()->setRowStretchFactor(row, 0.001);
  m_plot->legend->setLayer(QStringLiteral("legend"));
  for (QCPAbstractPlottable* p : entries) p->addToLegend(m_plot->legend);
}

}  // namespace maxstate::ui
