#include "ui/views/sources_view.h"

#include <QToolTip>
#include <QVBoxLayout>
#include <cmath>

#include "maxstate/error.h"
#include "ui/data/view_data.h"
#include "ui/style/theme.h"
#include "ui/views/placeholder.h"
#include "ui/views/token_text.h"

namespace maxstate::ui {

SourcesView::SourcesView(Session& session, QWidget* parent)
    : QWidget(parent), m_session(session), m_plot(new ThemedPlot(this)) {
  m_plot->setObjectName("sourcesPlot");
  m_plot->setExportName(tr("sources"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_plot);
  // Tokens holding nothing stay background-coloured (NaN cells are transparent), so the holders stand out.
  QCPColorGradient gradient = magmaGradient();
  gradient.setNanHandling(QCPColorGradient::nhTransparent);
  const HeatmapParts parts = m_plot->addHeatmap(tr("source token position"), tr("head"),
                                                tr("share of the head's channels"), gradient);
  m_title = parts.title;
  m_map = parts.map;
  m_scale = parts.scale;
  m_plot->yAxis->setTicker(ThemedPlot::integerTicker());
  m_plot->xAxis->setTicker(ThemedPlot::integerTicker());
  m_plot->yAxis->setRangeReversed(true);  // head 0 on top, as in a list
  m_marks = m_plot->addGraph();
  m_marks->setLineStyle(QCPGraph::lsNone);
  m_marks->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCross, QColor(0x20, 0xa0, 0xe0), 7));
  m_marks->setName(tr("source changed by the edits"));
  m_selected = new QCPItemRect(m_plot);
  m_selected->setBrush(Qt::NoBrush);
  stylePlot(m_plot);
  auto penSelected = [this] { m_selected->setPen(QPen(cursorColor(palette()), 1.5)); };
  penSelected();
  connect(m_plot, &ThemedPlot::restyled, this, penSelected);
  m_plot->setMouseTracking(true);
  connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent* e) {
    if (m_shares.empty() || !m_plot->axisRect()->rect().contains(e->position().toPoint()))
      return QToolTip::hideText();
    const auto token = static_cast<int64_t>(std::lround(m_plot->xAxis->pixelToCoord(e->position().x())));
    const auto head = static_cast<int64_t>(std::lround(m_plot->yAxis->pixelToCoord(e->position().y())));
    QToolTip::showText(e->globalPosition().toPoint(), cellText(head, token), m_plot);
  });
  connect(m_plot, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) {
    if (m_shares.empty() || e->button() != Qt::LeftButton) return;
    if (m_plot->axisRect()->rect().contains(e->position().toPoint()))
      m_session.setHead(static_cast<int>(std::lround(m_plot->yAxis->pixelToCoord(e->position().y()))));
  });
  // Exported as shown but with tokens holding nothing as 0 (drawn blank): heads x positions 0..cursor.
  m_plot->setTableProvider([this] {
    if (m_shares.empty()) throw Error(ErrorKind::Usage, "the sources plot shows no data to export");
    PlotTable table;
    table.labelColumns = {"head/source token position"};
    const auto positions = static_cast<int64_t>(m_shares.front().size());
    for (int64_t t = 0; t < positions; ++t) table.valueColumns.push_back(std::to_string(t));
    table.values = Array<double>({static_cast<int64_t>(m_shares.size()), positions});
    for (size_t h = 0; h < m_shares.size(); ++h) {
      table.rowLabels.push_back({std::to_string(h)});
      std::copy(m_shares[h].begin(), m_shares[h].end(),
                table.values.data() + static_cast<int64_t>(h) * positions);
    }
    return table;
  });
  followPlaceholder(m_plot, m_session);
  connect(&m_session, &Session::traceChanged, this, &SourcesView::rebuild);
  connect(&m_session, &Session::layerChanged, this, &SourcesView::rebuild);
  connect(&m_session, &Session::headChanged, this, &SourcesView::update);
  connect(&m_session, &Session::cursorChanged, this, &SourcesView::update);
  rebuild();
}

void SourcesView::rebuild() {
  const auto& record = m_session.record();
  const RecordShape s = record ? recordShape(*record) : RecordShape{};
  if (s.length == 0) {
    m_shares.clear();
    m_map->data()->clear();
    m_title->setText(tr("Sources: nothing traced yet"));
    m_plot->replotSoon();
    return;
  }
  // Columns for every position; those after the cursor stay empty and out of view.
  const int64_t end = s.begin + s.length;
  m_map->data()->setSize(static_cast<int>(end), static_cast<int>(s.heads));
  m_map->data()->setRange(QCPRange(0, std::max<int64_t>(end - 1, 1)),
                          QCPRange(0, std::max<int64_t>(s.heads - 1, 1)));
  m_map->data()->fill(qQNaN());
  m_shares.clear();
  update();
}

void SourcesView::update() {
  const auto& record = m_session.record();
  const int64_t p = m_session.cursor();
  if (!record || !record->hasPosition(p)) return;
  // Clear what the previous cursor set, then write the new shares: O(H * cursor) per step.
  for (size_t h = 0; h < m_shares.size(); ++h)
    for (size_t t = 0; t < m_shares[h].size(); ++t)
      if (m_shares[h][t] != 0) m_map->data()->setCell(static_cast<int>(t), static_cast<int>(h), qQNaN());
  m_shares = sourceSharesAllHeads(*record, p);
  double top = 0;
  for (size_t h = 0; h < m_shares.size(); ++h)
    for (size_t t = 0; t < m_shares[h].size(); ++t)
      if (m_shares[h][t] != 0) {
        m_map->data()->setCell(static_cast<int>(t), static_cast<int>(h), m_shares[h][t]);
        top = std::max(top, m_shares[h][t]);
      }
  m_map->setDataRange(QCPRange(0, top > 0 ? top : 1));
  m_plot->xAxis->setRange(-0.5, p + 0.5);
  m_plot->yAxis->setRange(-0.5, static_cast<double>(m_shares.size()) - 0.5);
  const double h = m_session.head();
  m_selected->topLeft->setCoords(-0.5, h - 0.5);
  m_selected->bottomRight->setCoords(p + 0.5, h + 0.5);
  m_title->setText(tr("Who holds the state at position %1 %2 (layer %3)")
                       .arg(p)
                       .arg(quotedToken(m_session.label(p)))
                       .arg(m_session.layer()));
  markChanges(p);
  m_plot->replotSoon();
}

void SourcesView::markChanges(int64_t p) {
  m_changed.clear();
  m_marks->data()->clear();
  const auto& w = m_session.whatIf();
  const auto& base = m_session.baseRecord();
  if (!m_session.showsDifference() || !base || p >= static_cast<int64_t>(w->baseOf.size())) return;
  const auto from = w->baseOf[static_cast<size_t>(p)];
  if (!from || !base->hasPosition(*from)) return;
  const auto baseShares = sourceSharesAllHeads(*base, *from);  // [H][base tokens 0..from]
  for (size_t h = 0; h < m_shares.size(); ++h)
    for (size_t t = 0; t < m_shares[h].size(); ++t) {
      const auto b = w->baseOf[t];
      const double was = b && *b <= *from ? baseShares[h][static_cast<size_t>(*b)] : 0.0;
      if (m_shares[h][t] != was) {
        m_changed.emplace_back(static_cast<int64_t>(h), static_cast<int64_t>(t));
        m_marks->addData(static_cast<double>(t), static_cast<double>(h));
      }
    }
  m_title->setText(m_title->text() + (m_session.comparing()
                                          ? tr(" -- crosses: %1 cells where B's sources differ from A's")
                                          : tr(" -- crosses: %1 cells changed by the edits"))
                                         .arg(m_changed.size()));
}

QString SourcesView::cellText(int64_t head, int64_t token) const {
  if (head < 0 || head >= static_cast<int64_t>(m_shares.size())) return {};
  const auto& row = m_shares[static_cast<size_t>(head)];
  if (token < 0 || token >= static_cast<int64_t>(row.size())) return {};
  const auto& record = m_session.record();
  const int64_t dh = record ? record->headDim() : 0;
  const double share = row[static_cast<size_t>(token)];
  return tr("head %1: token %2 %3 holds %4 of %5 channels (%6%)")
      .arg(head)
      .arg(token)
      .arg(quotedToken(m_session.label(token)))
      .arg(std::lround(share * static_cast<double>(dh)))
      .arg(dh)
      .arg(share * 100.0, 0, 'f', 1);
}

}  // namespace maxstate::ui
