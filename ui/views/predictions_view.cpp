#include "ui/views/predictions_view.h"

#include <cmath>
#include <limits>

#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include "maxstate/error.h"
#include "ui/session/input_prep.h"
#include "ui/style/theme.h"
#include "ui/views/placeholder.h"
#include "ui/views/token_text.h"

namespace maxstate::ui {

PredictionsView::PredictionsView(Session& session, QWidget* parent)
    : QWidget(parent),
      m_session(session),
      m_message(new QLabel(this)),
      m_plot(new ThemedPlot(this)),
      m_lens(new QTableWidget(this)) {
  m_plot->setObjectName("predictionsPlot");
  m_plot->setExportName(tr("predictions"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  m_message->setWordWrap(true);
  m_message->setMargin(4);
  layout->addWidget(m_message);
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(m_plot);
  split->addWidget(m_lens);
  m_plot->setMinimumHeight(200);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  layout->addWidget(split, 1);

  m_bars = new QCPBars(m_plot->yAxis, m_plot->xAxis);  // horizontal bars: key on the vertical axis
  m_bars->setWidth(0.7);
  m_bars->setPen(Qt::NoPen);
  m_bars->setBrush(seriesColor(0));
  m_bars->setName(tr("edited run"));
  m_baseBars = new QCPBars(m_plot->yAxis, m_plot->xAxis);
  m_baseBars->setWidth(0.35);
  m_baseBars->setPen(Qt::NoPen);
  m_baseBars->setBrush(QColor(0x90, 0x90, 0x90));
  m_baseBars->setName(tr("base run"));
  m_group = new QCPBarsGroup(m_plot);
  m_plot->xAxis->setLabel(tr("probability of the next token"));
  m_plot->xAxis->setRange(0, 1);
  m_plot->yAxis->setRangeReversed(true);  // best first, on top
  stylePlot(m_plot);

  m_lens->setColumnCount(kLensColumns);
  m_lens->setHorizontalHeaderLabels({tr("1st"), tr("2nd"), tr("3rd")});
  m_lens->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_lens->setSelectionMode(QAbstractItemView::NoSelection);
  m_lens->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  m_lens->setToolTip(
      tr("Logit lens: the head applied to each layer's output, top predictions and probabilities"));

  // Exported with the token ids and whole labels that the bars' ticks abbreviate.
  m_plot->setTableProvider([this] {
    const int traced = m_session.tracedCheckpoint();
    if (m_tokens.empty() || traced < 0)
      throw Error(ErrorKind::Usage, "the predictions plot shows no data to export");
    const std::vector<std::string> labels = m_session.checkpoint(traced).model->tokenLabels(m_tokens);
    PlotTable table;
    table.labelColumns = {"rank", "token id", "token"};
    table.valueColumns = {"probability"};
    table.values = Array<double>({static_cast<int64_t>(m_tokens.size()), 1});
    for (size_t i = 0; i < m_tokens.size(); ++i) {
      table.rowLabels.push_back({std::to_string(i), std::to_string(m_tokens[i]), labels[i]});
      table.values[static_cast<int64_t>(i)] = m_bars->data()->at(static_cast<int>(i))->value;
    }
    return table;
  });
  m_lens->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(m_lens, &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
    QMenu menu(this);
    menu.addAction(tr("Export the logit lens..."), this, &PredictionsView::lensExportRequested);
    menu.exec(m_lens->viewport()->mapToGlobal(at));
  });
  connect(&m_session, &Session::lensReady, this, [this](qint64 position) {
    if (position == m_session.cursor()) update();
  });
  followPlaceholder(m_plot, m_session);
  connect(&m_session, &Session::traceChanged, this, &PredictionsView::update);
  connect(&m_session, &Session::cursorChanged, this, &PredictionsView::update);
  update();
}

void PredictionsView::showBase(int64_t p) {
  m_baseBars->data()->clear();
  const auto& w = m_session.whatIf();
  const bool both = w && m_session.trace() == w->edited && p < static_cast<int64_t>(w->baseOf.size()) &&
                    w->baseOf[static_cast<size_t>(p)];
  m_plot->legend->setVisible(both);
  if (!both) {
    m_bars->setBarsGroup(nullptr);
    m_baseBars->setBarsGroup(nullptr);
    m_bars->setWidth(0.7);
    return;
  }
  m_bars->setName(m_session.comparing() ? tr("B") : tr("edited run"));
  m_baseBars->setName(m_session.comparing() ? tr("A (reference)") : tr("base run"));
  // The base run's whole distribution at the counterpart, so that tokens outside its top-k show too.
  const int64_t b = *w->baseOf[static_cast<size_t>(p)];
  const FloatArray logits = w->base->logits(b, b + 1);
  const int64_t v = logits.dim(1);
  double top = -std::numeric_limits<double>::infinity(), sum = 0;
  for (int64_t i = 0; i < v; ++i) top = std::max(top, static_cast<double>(logits.at({0, i})));
  for (int64_t i = 0; i < v; ++i) sum += std::exp(static_cast<double>(logits.at({0, i})) - top);
  for (size_t k = 0; k < m_tokens.size(); ++k)
    m_baseBars->addData(static_cast<double>(k),
                        std::exp(static_cast<double>(logits.at({0, m_tokens[k]})) - top) / sum);
  m_bars->setWidth(0.35);
  m_bars->setBarsGroup(m_group);
  m_baseBars->setBarsGroup(m_group);
  m_message->setText(m_message->text() + (m_session.comparing()
                                              ? tr(" (colour: B; grey: A, the reference, at position %1)")
                                              : tr(" (grey: the base run at position %1)"))
                                             .arg(b));
}

void PredictionsView::showMessage(const QString& message) {
  m_message->setText(message);
  m_message->setVisible(!message.isEmpty());
  m_bars->data()->clear();
  m_baseBars->data()->clear();
  m_tokens.clear();
  m_lens->setRowCount(0);
  m_shownLens.clear();
  m_lensPosition = -1;
  m_plot->replotSoon();
}

void PredictionsView::update() {
  const auto& trace = m_session.trace();
  const int traced = m_session.tracedCheckpoint();
  m_lens->setVisible(trace != nullptr);
  if (!trace || traced < 0) return showMessage(QString());  // the plot shows the placeholder
  if (trace->info().kind != ModelKind::Model)
    return showMessage(tr("Predictions need a whole model: this checkpoint is a bare layer."));
  const ModelHandle& model = *m_session.checkpoint(traced).model;
  const int64_t p = m_session.cursor();
  const std::vector<Prediction> top = trace->predictions(p);  // kept by the trace: cheap
  std::vector<int64_t> ids;
  for (const auto& pr : top) ids.push_back(pr.token);
  const QStringList labels = toQStringList(model.tokenLabels(ids));

  m_message->setVisible(true);
  m_message->setText(
      tr("After position %1 %2 the model predicts:").arg(p).arg(quotedToken(m_session.label(p))));
  QVector<double> keys, values;
  auto ticker = QSharedPointer<QCPAxisTickerText>::create();
  m_tokens.clear();
  for (size_t i = 0; i < top.size(); ++i) {
    keys.push_back(static_cast<double>(i));
    values.push_back(top[i].probability);
    m_tokens.push_back(top[i].token);
    ticker->addTick(static_cast<double>(i), visibleToken(labels[static_cast<qsizetype>(i)], 16));
  }
  m_bars->setData(keys, values, true);
  showBase(p);
  m_plot->yAxis->setTicker(ticker);
  m_plot->yAxis->setRange(-0.6, std::max<double>(static_cast<double>(top.size()) - 0.4, 0.4));
  m_plot->replotSoon();

  if (const std::optional<LensRows> lens = m_session.lens(p)) {
    showLens(*lens);
    m_lensPosition = p;
  } else {
    // Computing: the rows keep the previous position's lens, dimmed, until this one arrives.
    m_lensPosition = -1;
    m_lens->setEnabled(false);
  }
}

void PredictionsView::showLens(const LensRows& lens) {
  m_lens->setEnabled(true);
  m_shownLens = lens;
  const ModelHandle& model = *m_session.checkpoint(m_session.tracedCheckpoint()).model;
  std::vector<int64_t> ids;
  for (const auto& layer : lens)
    for (size_t k = 0; k < layer.size() && k < kLensColumns; ++k) ids.push_back(layer[k].token);
  const QStringList labels = toQStringList(model.tokenLabels(ids));
  if (m_lens->rowCount() != static_cast<int>(lens.size())) {
    m_lens->setRowCount(static_cast<int>(lens.size()));
    for (size_t l = 0; l < lens.size(); ++l)
      m_lens->setVerticalHeaderItem(static_cast<int>(l), new QTableWidgetItem(tr("layer %1").arg(l)));
  }
  qsizetype next = 0;
  for (size_t l = 0; l < lens.size(); ++l) {
    for (int k = 0; k < kLensColumns; ++k) {
      auto* item = m_lens->item(static_cast<int>(l), k);
      if (!item) m_lens->setItem(static_cast<int>(l), k, item = new QTableWidgetItem);
      if (static_cast<size_t>(k) < lens[l].size()) {
        const Prediction& pr = lens[l][static_cast<size_t>(k)];
        item->setText(
            QStringLiteral("%1  %2").arg(visibleToken(labels[next++], 16)).arg(pr.probability, 0, 'f', 3));
        item->setData(kTokenRole, QVariant::fromValue<qlonglong>(pr.token));
        item->setData(kProbabilityRole, pr.probability);
      } else {
        item->setText(QString());
        item->setData(kTokenRole, QVariant());
        item->setData(kProbabilityRole, QVariant());
      }
    }
  }
}

PlotTable PredictionsView::lensData() const {
  const int traced = m_session.tracedCheckpoint();
  if (m_lensPosition < 0 || m_shownLens.empty() || traced < 0)
    throw Error(ErrorKind::Usage,
                "the logit lens is not shown yet (it is computed a moment after the cursor "
                "moves): try again when the table fills in");
  const size_t ranks = std::min<size_t>(m_shownLens.front().size(), kLensColumns);
  std::vector<int64_t> ids;
  for (const auto& layer : m_shownLens)
    for (size_t k = 0; k < ranks; ++k) ids.push_back(layer[k].token);
  const std::vector<std::string> labels = m_session.checkpoint(traced).model->tokenLabels(ids);
  PlotTable table;
  table.labelColumns = {"layer", "rank", "token id", "token"};
  table.valueColumns = {"probability"};
  table.values = Array<double>({static_cast<int64_t>(ids.size()), 1});
  table.npyShape = {static_cast<int64_t>(m_shownLens.size()), static_cast<int64_t>(ranks)};
  size_t row = 0;
  for (size_t l = 0; l < m_shownLens.size(); ++l)
    for (size_t k = 0; k < ranks; ++k, ++row) {
      table.rowLabels.push_back(
          {std::to_string(l), std::to_string(k), std::to_string(ids[row]), labels[row]});
      table.values[static_cast<int64_t>(row)] = m_shownLens[l][k].probability;
    }
  return table;
}

}  // namespace maxstate::ui
