#include "ui/views/kl_view.h"

#include <QVBoxLayout>
#include <algorithm>

#include "ui/style/theme.h"
#include "ui/views/placeholder.h"

namespace maxstate::ui {

KlView::KlView(Session& session, QWidget* parent)
    : QWidget(parent), m_session(session), m_plot(new ThemedPlot(this)) {
  m_plot->setObjectName(QStringLiteral("klPlot"));
  m_plot->setExportName(tr("what-if KL per position"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_plot);
  m_plot->plotLayout()->insertRow(0);
  m_title = new QCPTextElement(m_plot, QString(), QFont(font().family(), font().pointSize(), QFont::Bold));
  m_plot->plotLayout()->addElement(0, 0, m_title);
  m_plot->xAxis->setLabel(tr("position (edited run)"));
  m_plot->yAxis->setLabel(tr("KL(base || edited), nats"));
  m_kl = m_plot->addGraph();
  m_kl->setName(tr("KL"));
  m_kl->setPen(QPen(QColor(0x1f, 0x77, 0xb4), 1.5));
  m_top1 = m_plot->addGraph();
  m_top1->setName(tr("top-1 changed"));
  m_top1->setLineStyle(QCPGraph::lsNone);
  m_top1->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, QColor(0xd0, 0x20, 0x20), 7));
  m_plot->legend->setVisible(true);
  m_plot->setInteractions(QCP::iRangeZoom | QCP::iRangeDrag);
  m_plot->axisRect()->setRangeZoom(Qt::Horizontal);
  m_plot->axisRect()->setRangeDrag(Qt::Horizontal);
  m_cursor = m_plot->addCursorLine();
  stylePlot(m_plot);
  connect(&m_session, &Session::checkpointsChanged, this, &KlView::rebuild);
  connect(&m_session, &Session::traceChanged, this, &KlView::rebuild);
  connect(&m_session, &Session::editsChanged, this, &KlView::rebuild);
  connect(&m_session, &Session::comparisonChanged, this, &KlView::rebuild);
  connect(&m_session, &Session::cursorChanged, this, &KlView::onCursor);
  rebuild();
}

void KlView::rebuild() {
  m_kl->data()->clear();
  m_top1->data()->clear();
  const auto& w = m_session.whatIf();
  if (!w || w->kl.empty()) {
    m_plot->setPlaceholder(m_session.trace()
                               ? tr("What if? Right-click a token, a head or a term to edit the "
                                    "run; this plot then shows how much each prediction moved.")
                               : placeholderText(m_session));
    m_title->setText(QString());
    m_plot->replotSoon();
    return;
  }
  m_plot->setPlaceholder(QString());
  double largest = 0;
  int changed = 0;
  for (size_t t = 0; t < w->kl.size(); ++t) {
    const double x = static_cast<double>(t);
    m_kl->addData(x, w->kl[t] ? *w->kl[t] : qQNaN());  // NaN: a gap (no base counterpart)
    if (w->kl[t]) largest = std::max(largest, *w->kl[t]);
    if (w->top1Base[t] && *w->top1Base[t] != w->top1Edited[t]) {
      m_top1->addData(x, w->kl[t] ? *w->kl[t] : 0.0);
      ++changed;
    }
  }
  m_plot->xAxis->setRange(-0.5, static_cast<double>(w->kl.size()) - 0.5);
  m_plot->yAxis->setRange(0, largest > 0 ? largest * 1.08 : 1.0);
  const bool comparing = m_session.comparing();
  m_plot->setExportName(comparing ? tr("compare KL per position") : tr("what-if KL per position"));
  m_plot->xAxis->setLabel(comparing ? tr("position") : tr("position (edited run)"));
  m_plot->yAxis->setLabel(comparing ? tr("KL(A || B), nats") : tr("KL(base || edited), nats"));
  m_top1->setName(comparing ? tr("top-1 differs") : tr("top-1 changed"));
  m_title->setText((comparing ? tr("B vs A: KL per position, top-1 differs at %1 of %2 positions")
                              : tr("Edited vs base: KL per position, top-1 changed at %1 of %2 positions"))
                       .arg(changed)
                       .arg(w->kl.size()));
  onCursor(m_session.cursor());
}

void KlView::onCursor(qint64 position) {
  // The cursor is a position of the run on display; the plot's positions are the edited run's.
  ThemedPlot::moveCursorLine(m_cursor, static_cast<double>(position));
  m_plot->replotSoon();
}

}  // namespace maxstate::ui
