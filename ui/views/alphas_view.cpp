#include "ui/views/alphas_view.h"

#include <QFileInfo>
#include <QToolTip>
#include <QVBoxLayout>

#include "ui/style/theme.h"
#include "ui/views/placeholder.h"

namespace maxstate::ui {

AlphasView::AlphasView(Session& session, QWidget* parent)
    : QWidget(parent), m_session(session), m_plot(new ThemedPlot(this)) {
  m_plot->setObjectName("alphasPlot");
  m_plot->setExportName(tr("alphas"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_plot);
  m_plot->setMouseTracking(true);
  connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent* e) {
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
  connect(&m_session, &Session::checkpointsChanged, this, &AlphasView::rebuild);
  // The alphas need a checkpoint, not a trace.
  followPlaceholder(m_plot, m_session, [this] { return m_session.checkpointCount() == 0; });
  rebuild();
}

double AlphasView::plottedValue(AlphaKind kind, int checkpoint, int layer) const {
  const auto it = m_bars.find({static_cast<int>(kind), checkpoint});
  if (it == m_bars.end()) return qQNaN();
  const auto found = it->second->data()->findBegin(layer, false);
  if (found == it->second->data()->constEnd() || found->key != layer) return qQNaN();
  return found->value;
}

void AlphasView::rebuild() {
  m_plot->clearPlottables();
  qDeleteAll(m_plot->findChildren<QCPBarsGroup*>(Qt::FindDirectChildrenOnly));
  m_plot->plotLayout()->clear();  // removes axis rects and the legend's place; we rebuild everything
  m_bars.clear();
  m_rows.clear();

  std::vector<std::vector<LayerAlphas>> tables;
  for (int c = 0; c < m_session.checkpointCount(); ++c)
    tables.push_back(m_session.checkpoint(c).model->alphas());
  for (int k = 0; k < kAlphaKinds; ++k) {
    bool present = false;
    for (const auto& table : tables)
      for (const auto& a : table) present = present || alphaValue(a, static_cast<AlphaKind>(k)).has_value();
    if (present) m_rows.push_back(static_cast<AlphaKind>(k));
  }

  const double groupWidth = 0.8;
  const int n = static_cast<int>(tables.size());
  int row = 0;
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
      if (kind != m_rows.front()) bars->removeFromLegend();
      m_bars[{static_cast<int>(kind), c}] = bars;
    }
    x->setRange(-0.6, layers - 0.4);
    const double pad = 0.08 * std::max(hi - lo, 1e-3);
    y->setRange(lo - (lo < 0 ? pad : 0), hi + pad);
  }
  if (!m_rows.empty()) {
    // The legend under the plots: one entry per checkpoint.
    auto* legendRect = new QCPLayoutGrid;
    m_plot->plotLayout()->addElement(row, 0, legendRect);
    m_plot->legend = new QCPLegend;
    legendRect->addElement(0, 0, m_plot->legend);
    m_plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    m_plot->legend->setWrap(2);
    m_plot->plotLayout()->setRowStretchFactor(row, 0.001);
    m_plot->legend->setLayer(QStringLiteral("legend"));
    for (auto& [key, bars] : m_bars)
      if (key.first == static_cast<int>(m_rows.front())) bars->addToLegend(m_plot->legend);
  }
  stylePlot(m_plot);
  m_plot->replotSoon();
}

}  // namespace maxstate::ui
