#include "ui/views/state_heatmap_view.h"

#include <QFileInfo>

#include <QToolTip>
#include <QVBoxLayout>
#include <cmath>

#include "ui/data/view_data.h"
#include "ui/style/theme.h"
#include "ui/views/placeholder.h"
#include "ui/views/token_text.h"

namespace maxstate::ui {

StateHeatmapView::StateHeatmapView(Session& session, QWidget* parent)
    : QWidget(parent), m_session(session), m_plot(new ThemedPlot(this)) {
  m_plot->setObjectName("stateHeatmapPlot");
  m_plot->setExportName(tr("state heatmap"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_plot);

  const HeatmapParts parts =
      m_plot->addHeatmap(tr("position"), tr("channel"), tr("state value"), viridisGradient());
  m_title = parts.title;
  m_map = parts.map;
  m_scale = parts.scale;
  m_map->setTightBoundary(false);
  m_cursor = m_plot->addCursorLine();
  m_plot->setInteractions(QCP::iRangeZoom | QCP::iRangeDrag);
  m_plot->axisRect()->setRangeZoom(Qt::Horizontal);
  m_plot->axisRect()->setRangeDrag(Qt::Horizontal);
  stylePlot(m_plot);
  m_plot->setMouseTracking(true);

  connect(m_plot, &QCustomPlot::mouseMove, this, &StateHeatmapView::onMouseMove);
  connect(m_plot, &QCustomPlot::mousePress, this, &StateHeatmapView::onMousePress);
  followPlaceholder(m_plot, m_session);
  connect(&m_session, &Session::traceChanged, this, &StateHeatmapView::rebuild);
  connect(&m_session, &Session::layerChanged, this, &StateHeatmapView::rebuild);
  connect(&m_session, &Session::headChanged, this, &StateHeatmapView::rebuild);
  connect(&m_session, &Session::cursorChanged, this, &StateHeatmapView::onCursor);
  rebuild();
}

void StateHeatmapView::rebuild() {
  const auto& record = m_session.record();
  const RecordShape s = record ? recordShape(*record) : RecordShape{};
  const bool difference = m_session.showsDifference() && m_session.baseRecord() && s.length > 0;
  if (difference != m_difference) {
    m_difference = difference;
    QCPColorGradient gradient = difference ? divergingGradient() : viridisGradient();
    gradient.setNanHandling(QCPColorGradient::nhTransparent);  // no base counterpart: blank
    m_map->setGradient(gradient);
    m_scale->axis()->setLabel(!difference             ? tr("state value")
                              : m_session.comparing() ? tr("B minus A")
                                                      : tr("edited minus base"));
  }
  if (difference) {
    rebuildDifference();
    return;
  }
  if (s.length == 0 || s.headDim == 0) {
    m_map->data()->clear();
    m_title->setText(tr("State: nothing traced yet"));
    m_plot->replotSoon();
    return;
  }
  const int64_t head = m_session.head();
  m_map->data()->setSize(static_cast<int>(s.length), static_cast<int>(s.headDim));
  m_map->data()->setRange(QCPRange(s.begin, s.begin + s.length - 1), QCPRange(0, s.headDim - 1));
  // Fill straight from the core's array, one position's channels at a time.
  const HeadSlice<float> state = record->stateOfHead(head);
  for (int64_t p = 0; p < s.length; ++p) {
    const float* column = state.column(s.begin + p);
    for (int64_t j = 0; j < s.headDim; ++j)
      m_map->data()->setCell(static_cast<int>(p), static_cast<int>(j), column[j]);
  }
  m_map->rescaleDataRange(true);
  m_plot->xAxis->setRange(s.begin - 0.5, s.begin + s.length - 0.5);
  m_plot->yAxis->setRange(-0.5, s.headDim - 0.5);
  m_title->setText(tr("%5 of layer %1, head %2 (%3 channels x %4 positions)")
                       .arg(m_session.layer())
                       .arg(head)
                       .arg(s.headDim)
                       .arg(s.length)
                       .arg(runName()));
  ThemedPlot::moveCursorLine(m_cursor, static_cast<double>(m_session.cursor()));
  m_plot->replotSoon();
}

QString StateHeatmapView::title() const { return m_title->text(); }

QString StateHeatmapView::runName() const {
  // Titles say which run they show, so that pictures and exports of a what-if cannot pass for the input's.
  if (!m_session.whatIf()) return tr("State");
  if (const auto& c = m_session.comparison()) {
    const bool a = m_session.display() == WhatIfDisplay::Base;
    return tr("%1 (%2): state").arg(a ? tr("A") : tr("B"), QFileInfo(a ? c->pathA : c->pathB).fileName());
  }
  return m_session.display() == WhatIfDisplay::Base ? tr("Base run: state") : tr("Edited run: state");
}

void StateHeatmapView::rebuildDifference() {
  const LayerRecord& edited = *m_session.record();
  const LayerRecord& base = *m_session.baseRecord();
  const WhatIf& w = *m_session.whatIf();
  const RecordShape s = recordShape(edited);
  const int64_t head = m_session.head();
  m_map->data()->setSize(static_cast<int>(s.length), static_cast<int>(s.headDim));
  m_map->data()->setRange(QCPRange(s.begin, s.begin + s.length - 1), QCPRange(0, s.headDim - 1));
  const HeadSlice<float> e = edited.stateOfHead(head);
  const HeadSlice<float> b = base.stateOfHead(head);
  double largest = 0;
  for (int64_t p = 0; p < s.length; ++p) {
    const int64_t t = s.begin + p;
    const std::optional<int64_t> from =
        t < static_cast<int64_t>(w.baseOf.size()) ? w.baseOf[static_cast<size_t>(t)] : std::nullopt;
    const bool counterpart = from && base.hasPosition(*from);
    for (int64_t j = 0; j < s.headDim; ++j) {
      const double d = counterpart ? differenceAt(e.at(t, j), b.at(*from, j)) : qQNaN();
      m_map->data()->setCell(static_cast<int>(p), static_cast<int>(j), d);
      if (counterpart) largest = std::max(largest, std::abs(d));
    }
  }
  // Symmetric around zero so that white means unchanged.
  const double range = largest > 0 ? largest : 1.0;
  m_map->setDataRange(QCPRange(-range, range));
  m_plot->xAxis->setRange(s.begin - 0.5, s.begin + s.length - 0.5);
  m_plot->yAxis->setRange(-0.5, s.headDim - 0.5);
  if (const auto& c = m_session.comparison())
    m_title->setText(tr("Difference: B minus A state (B = %1, A = %2), layer %3, head %4")
                         .arg(QFileInfo(c->pathB).fileName(), QFileInfo(c->pathA).fileName())
                         .arg(m_session.layer())
                         .arg(head));
  else
    m_title->setText(tr("Difference: edited minus base state, layer %1, head %2 (blank: no base position)")
                         .arg(m_session.layer())
                         .arg(head));
  ThemedPlot::moveCursorLine(m_cursor, static_cast<double>(m_session.cursor()));
  m_plot->replotSoon();
}

void StateHeatmapView::onCursor(qint64 position) {
  // A step moves only the line: the colour map's cached image stays valid.
  ThemedPlot::moveCursorLine(m_cursor, static_cast<double>(position));
  m_plot->replotCursor();
}

double StateHeatmapView::cursorLineX() const { return m_cursor->point1->coords().x(); }

QString StateHeatmapView::cellText(int64_t position, int64_t channel) const {
  const auto& record = m_session.record();
  if (!record || !record->hasPosition(position) || channel < 0 || channel >= record->headDim()) return {};
  const int64_t head = m_session.head();
  if (m_difference) {
    const auto& baseOf = m_session.whatIf()->baseOf;
    const auto from =
        position < static_cast<int64_t>(baseOf.size()) ? baseOf[static_cast<size_t>(position)] : std::nullopt;
    if (!from)
      return tr("position %1  %2: inserted, no base position")
          .arg(position)
          .arg(quotedToken(m_session.label(position)));
    return (m_session.comparing()
                ? tr("B minus A %1\nposition %2  %3 (A: %4)\nchannel %5 of head %6")
                : tr("edited minus base %1\nedited position %2  %3, base position %4\nchannel %5 of head %6"))
        .arg(differenceAt(record->stateAt(position, head, channel),
                          m_session.baseRecord()->stateAt(*from, head, channel)),
             0, 'g', 6)
        .arg(position)
        .arg(quotedToken(m_session.label(position)))
        .arg(*from)
        .arg(channel)
        .arg(head);
  }
  const int64_t source = record->sourceAt(position, head, channel);
  return tr("value %1\nposition %2  %3\nchannel %4 of head %5\nsource: position %6  %7")
      .arg(record->stateAt(position, head, channel), 0, 'g', 6)
      .arg(position)
      .arg(quotedToken(m_session.label(position)))
      .arg(channel)
      .arg(head)
      .arg(source)
      .arg(quotedToken(m_session.label(source)));
}

bool StateHeatmapView::cellAt(const QPointF& pixel, int64_t& position, int64_t& channel) const {
  if (!m_plot->axisRect()->rect().contains(pixel.toPoint()) || m_map->data()->isEmpty()) return false;
  int key = 0, value = 0;
  m_map->data()->coordToCell(m_plot->xAxis->pixelToCoord(pixel.x()), m_plot->yAxis->pixelToCoord(pixel.y()),
                             &key, &value);
  if (key < 0 || value < 0 || key >= m_map->data()->keySize() || value >= m_map->data()->valueSize())
    return false;
  position = m_session.record()->begin + key;
  channel = value;
  return true;
}

void StateHeatmapView::onMouseMove(QMouseEvent* event) {
  int64_t position = 0, channel = 0;
  if (cellAt(event->position(), position, channel))
    QToolTip::showText(event->globalPosition().toPoint(), cellText(position, channel), m_plot);
  else
    QToolTip::hideText();
}

void StateHeatmapView::onMousePress(QMouseEvent* event) {
  int64_t position = 0, channel = 0;
  if (event->button() == Qt::LeftButton && event->modifiers() == Qt::NoModifier &&
      cellAt(event->position(), position, channel))
    m_session.setCursor(position);
}

}  // namespace maxstate::ui
