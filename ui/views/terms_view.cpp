#include "ui/views/terms_view.h"

#include <QCheckBox>
#include <QSplitter>
#include <QVBoxLayout>

#include "ui/data/view_data.h"
#include "ui/style/theme.h"
#include "ui/views/placeholder.h"
#include "ui/views/token_text.h"

namespace maxstate::ui {

TermsView::TermsView(Session& session, QWidget* parent)
    : QWidget(parent), m_session(session), m_lines(new ThemedPlot(this)), m_barsPlot(new ThemedPlot(this)) {
  m_lines->setObjectName("termLinesPlot");
  m_barsPlot->setObjectName("termBarsPlot");
  m_lines->setExportName(tr("terms over positions"));
  m_barsPlot->setExportName(tr("terms at the cursor"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  m_log = new QCheckBox(tr("Logarithmic scale"), this);
  layout->addWidget(m_log);
  // Lines over positions take the width; the breakdown at the cursor sits beside them.
  auto* split = new QSplitter(Qt::Horizontal, this);
  split->addWidget(m_lines);
  split->addWidget(m_barsPlot);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 1);
  m_barsPlot->setMinimumWidth(260);
  layout->addWidget(split, 1);

  m_lines->plotLayout()->insertRow(0);
  m_title = new QCPTextElement(m_lines, QString(), QFont(font().family(), font().pointSize(), QFont::Bold));
  m_lines->plotLayout()->addElement(0, 0, m_title);
  m_lines->xAxis->setLabel(tr("position"));
  m_lines->yAxis->setLabel(tr("norm"));
  m_lines->yAxis->setTickLabelPadding(2);
  m_lines->legend->setVisible(true);
  m_lines->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
  m_lines->legend->setWrap(6);
  QFont small = font();
  small.setPointSizeF(small.pointSizeF() * 0.85);
  m_lines->legend->setFont(small);
  m_lines->legend->setRowSpacing(0);
  m_lines->legend->setColumnSpacing(4);
  m_lines->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
  m_lines->setInteractions(QCP::iRangeZoom | QCP::iRangeDrag);
  m_lines->axisRect()->setRangeZoom(Qt::Horizontal);
  m_lines->axisRect()->setRangeDrag(Qt::Horizontal);
  m_cursor = m_lines->addCursorLine();

  m_barsPlot->yAxis->setLabel(tr("norm at cursor"));
  stylePlot(m_lines);
  stylePlot(m_barsPlot);

  connect(m_log, &QCheckBox::toggled, this, &TermsView::setLogScale);
  followPlaceholder(m_lines, m_session);
  followPlaceholder(m_barsPlot, m_session);
  connect(&m_session, &Session::traceChanged, this, &TermsView::rebuild);
  connect(&m_session, &Session::layerChanged, this, &TermsView::rebuild);
  connect(&m_session, &Session::headChanged, this, &TermsView::rebuild);
  connect(&m_session, &Session::cursorChanged, this, &TermsView::update);
  rebuild();
}

void TermsView::setLogScale(bool on) {
  for (QCPAxis* axis : {m_lines->yAxis, m_barsPlot->yAxis}) {
    axis->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    axis->setTicker(on ? QSharedPointer<QCPAxisTicker>(new QCPAxisTickerLog)
                       : QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
  }
  rebuild();
}

void TermsView::rebuild() {
  m_lines->clearGraphs();
  m_barsPlot->clearPlottables();
  m_bars.clear();
  const auto& record = m_session.record();
  const RecordShape s = record ? recordShape(*record) : RecordShape{};
  if (s.length == 0 || s.terms == 0) {
    m_title->setText(tr("Terms: nothing traced yet"));
    m_lines->replotSoon();
    m_barsPlot->replotSoon();
    return;
  }
  const auto magnitudes = termMagnitudes(*record, m_session.head());
  QVector<double> keys(static_cast<qsizetype>(s.length));
  for (int64_t p = 0; p < s.length; ++p) keys[static_cast<qsizetype>(p)] = static_cast<double>(s.begin + p);
  auto ticker = QSharedPointer<QCPAxisTickerText>::create();
  for (int t = 0; t < s.terms; ++t) {
    QCPGraph* g = m_lines->addGraph();
    g->setName(termName(t));
    g->setPen(QPen(seriesColor(t), 0));  // cosmetic: thousands of segments stroke fast
    const auto& m = magnitudes[static_cast<size_t>(t)];
    g->setData(keys, QVector<double>(m.begin(), m.end()), true);
    ticker->addTick(t, termName(t));
    auto* bar = new QCPBars(m_barsPlot->xAxis, m_barsPlot->yAxis);
    bar->setWidth(0.7);
    bar->setPen(Qt::NoPen);
    bar->setBrush(seriesColor(t));
    bar->setName(termName(t));
    m_bars.push_back(bar);
  }
  m_barsPlot->xAxis->setTicker(ticker);
  m_barsPlot->xAxis->setRange(-0.6, s.terms - 0.4);
  m_lines->xAxis->setRange(s.begin - 0.5, s.begin + s.length - 0.5);
  m_lines->yAxis->rescale();
  // Head room for the legend at the top.
  const QCPRange r = m_lines->yAxis->range();
  if (m_lines->yAxis->scaleType() == QCPAxis::stLinear)
    m_lines->yAxis->setRange(std::min(0.0, r.lower), r.upper + 0.25 * r.size());
  m_title->setText(tr("Terms of layer %1, head %2").arg(m_session.layer()).arg(m_session.head()));
  ThemedPlot::moveCursorLine(m_cursor, static_cast<double>(m_session.cursor()));
  updateBreakdown();
  m_lines->replotSoon();
}

double TermsView::barValue(int term) const {
  if (term < 0 || term >= termCount() || m_bars[static_cast<size_t>(term)]->data()->isEmpty()) return qQNaN();
  return m_bars[static_cast<size_t>(term)]->data()->at(0)->value;
}

void TermsView::update() {
  ThemedPlot::moveCursorLine(m_cursor, static_cast<double>(m_session.cursor()));
  m_lines->replotCursor();
  updateBreakdown();
}

void TermsView::updateBreakdown() {
  const auto& record = m_session.record();
  const int64_t p = m_session.cursor();
  if (!record || !record->hasPosition(p)) return;
  const std::vector<double> breakdown = termBreakdown(*record, p, m_session.head());
  double top = 0;
  for (size_t t = 0; t < breakdown.size() && t < m_bars.size(); ++t) {
    m_bars[t]->data()->clear();
    m_bars[t]->addData(static_cast<double>(t), breakdown[t]);
    top = std::max(top, breakdown[t]);
  }
  if (m_barsPlot->yAxis->scaleType() == QCPAxis::stLogarithmic) {
    m_barsPlot->yAxis->rescale();
  } else {
    m_barsPlot->yAxis->setRange(0, top > 0 ? top * 1.1 : 1);
  }
  m_barsPlot->xAxis->setLabel(tr("term at position %1 %2").arg(p).arg(quotedToken(m_session.label(p))));
  m_barsPlot->replotSoon();
}

}  // namespace maxstate::ui
