#include "ui/views/head_states_view.h"

#include <QVBoxLayout>
#include <algorithm>

#include "ui/data/view_data.h"
#include "ui/style/theme.h"
#include "ui/views/placeholder.h"
#include "ui/views/token_text.h"

namespace maxstate::ui {

HeadStatesView::HeadStatesView(Session& session, QWidget* parent)
    : QWidget(parent), m_session(session), m_plot(new ThemedPlot(this)) {
  m_plot->setObjectName("headStatesPlot");
  m_plot->setExportName(tr("state at the cursor"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_plot);
  const HeatmapParts parts =
      m_plot->addHeatmap(tr("head"), tr("channel"), tr("state value"), viridisGradient());
  m_title = parts.title;
  m_map = parts.map;
  m_scale = parts.scale;
  m_plot->xAxis->setTicker(ThemedPlot::integerTicker());
  m_selected = new QCPItemRect(m_plot);
  m_selected->setBrush(Qt::NoBrush);
  stylePlot(m_plot);
  auto penSelected = [this] { m_selected->setPen(QPen(cursorColor(palette()), 2)); };
  penSelected();
  connect(m_plot, &ThemedPlot::restyled, this, penSelected);

  connect(m_plot, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) {
    if (m_map->data()->isEmpty() || e->button() != Qt::LeftButton) return;
    const double head = m_plot->xAxis->pixelToCoord(e->position().x());
    if (m_plot->axisRect()->rect().contains(e->position().toPoint()))
      m_session.setHead(static_cast<int>(std::lround(head)));
  });
  followPlaceholder(m_plot, m_session);
  connect(&m_session, &Session::traceChanged, this, &HeadStatesView::rebuild);
  connect(&m_session, &Session::layerChanged, this, &HeadStatesView::rebuild);
  connect(&m_session, &Session::headChanged, this, [this] {
    markHead();
    m_plot->replotSoon();
  });
  connect(&m_session, &Session::cursorChanged, this, &HeadStatesView::update);
  rebuild();
}

void HeadStatesView::rebuild() {
  const auto& record = m_session.record();
  const RecordShape s = record ? recordShape(*record) : RecordShape{};
  if (s.length == 0) {
    m_map->data()->clear();
    m_title->setText(tr("State at the cursor: nothing traced yet"));
    m_plot->replotSoon();
    return;
  }
  m_map->data()->setSize(static_cast<int>(s.heads), static_cast<int>(s.headDim));
  m_map->data()->setRange(QCPRange(0, std::max<int64_t>(s.heads - 1, 1)),
                          QCPRange(0, std::max<int64_t>(s.headDim - 1, 1)));
  // One colour range for the layer's whole state: the colours of a cell are comparable across positions.
  const auto [lo, hi] =
      std::minmax_element(record->state.data(), record->state.data() + record->state.size());
  m_map->setDataRange(QCPRange(*lo, *hi > *lo ? *hi : *lo + 1));
  m_plot->xAxis->setRange(-0.5, s.heads - 0.5);
  m_plot->yAxis->setRange(-0.5, s.headDim - 0.5);
  update();
}

void HeadStatesView::update() {
  const auto& record = m_session.record();
  const int64_t p = m_session.cursor();
  if (!record || !record->hasPosition(p)) return;
  const RecordShape s = recordShape(*record);
  const float* row = record->stateColumn(p);  // [H, dh]
  for (int64_t h = 0; h < s.heads; ++h)
    for (int64_t j = 0; j < s.headDim; ++j)
      m_map->data()->setCell(static_cast<int>(h), static_cast<int>(j), row[h * s.headDim + j]);
  m_title->setText(
      tr("Layer %1 at position %2 %3").arg(m_session.layer()).arg(p).arg(quotedToken(m_session.label(p))));
  markHead();
  m_plot->replotSoon();
}

void HeadStatesView::markHead() {
  const double h = m_session.head();
  const double top = m_map->data()->valueSize() - 0.5;
  m_selected->topLeft->setCoords(h - 0.5, top);
  m_selected->bottomRight->setCoords(h + 0.5, -0.5);
}

}  // namespace maxstate::ui
