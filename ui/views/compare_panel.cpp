#include "ui/views/compare_panel.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QTableWidget>
#include <QVBoxLayout>

#include "ui/views/checkpoint_list.h"

namespace maxstate::ui {

namespace {

QString shapeText(const Shape& shape) {
  QStringList dims;
  for (int64_t d : shape) dims << QString::number(d);
  return QStringLiteral("[%1]").arg(dims.join(QStringLiteral(", ")));
}

QString checkpointName(const Session& session, const QString& path) {
  QString name = QFileInfo(path).fileName();
  const int i = session.indexOfPath(path);
  if (i >= 0) {
    const QString progress = describeTrainingProgress(session.checkpoint(i).progress);
    if (!progress.isEmpty()) name += QStringLiteral(" (%1)").arg(progress);
  }
  return name;
}

}  // namespace

ComparePanel::ComparePanel(Session& session, CompareController& controller, QWidget* parent)
    : QWidget(parent),
      m_session(session),
      m_controller(controller),
      m_header(new QLabel(this)),
      m_display(new QComboBox(this)),
      m_stop(new QPushButton(tr("Stop comparing"), this)),
      m_save(new QPushButton(tr("Save table as CSV..."), this)),
      m_summary(new QLabel(this)),
      m_parameters(new QTableWidget(this)) {
  m_header->setObjectName(QStringLiteral("compareHeader"));
  m_header->setWordWrap(true);
  m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_display->setObjectName(QStringLiteral("compareDisplay"));
  // Items in the order of WhatIfDisplay (Edited = B, Base = A, Difference).
  m_display->addItems({tr("Show B"), tr("Show A (reference)"), tr("Show B minus A")});
  m_display->setToolTip(tr("What the views show while two checkpoints are compared"));
  m_stop->setToolTip(tr("Back to the current checkpoint's trace alone (Esc)"));
  m_summary->setWordWrap(true);
  m_parameters->setObjectName(QStringLiteral("parameterTable"));
  m_parameters->setColumnCount(3);
  m_parameters->setHorizontalHeaderLabels({tr("Tensor"), tr("Shape"), tr("Relative change")});
  m_parameters->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  m_parameters->verticalHeader()->setVisible(false);
  m_parameters->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_parameters->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_parameters->setToolTip(tr("||W_B - W_A|| / ||W_A|| per tensor, largest first: which layers moved"));

  auto* buttons = new QHBoxLayout;
  buttons->addWidget(m_display, 1);
  buttons->addWidget(m_stop);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(m_header);
  layout->addLayout(buttons);
  layout->addWidget(m_summary);
  layout->addWidget(m_parameters, 1);
  layout->addWidget(m_save, 0, Qt::AlignRight);

  connect(m_display, &QComboBox::currentIndexChanged, this, [this](int i) {
    if (!m_updating) m_session.setDisplay(static_cast<WhatIfDisplay>(i));
  });
  connect(m_stop, &QPushButton::clicked, &m_controller, &CompareController::stop);
  connect(m_save, &QPushButton::clicked, this, &ComparePanel::saveDialog);
  connect(&m_session, &Session::comparisonChanged, this, &ComparePanel::refresh);
  connect(&m_session, &Session::displayChanged, this, &ComparePanel::refresh);
  connect(&m_session, &Session::checkpointsChanged, this, &ComparePanel::refresh);
  refresh();
}

void ComparePanel::refresh() {
  m_updating = true;
  const auto& c = m_session.comparison();
  m_display->setEnabled(c != nullptr);
  m_stop->setEnabled(c != nullptr);
  m_save->setEnabled(c != nullptr);
  m_display->setCurrentIndex(static_cast<int>(m_session.display()));
  m_parameters->setRowCount(0);
  if (!c) {
    m_header->setText(
        tr("Not comparing. Click a checkpoint in the Checkpoints list (it becomes A, the "
           "reference), then right-click another one (B) and choose Compare with the "
           "selected one. A folder of checkpoints: File > Open folder."));
    m_summary->clear();
    m_updating = false;
    return;
  }
  m_header->setText(tr("A (reference): %1\nB: %2")
                        .arg(checkpointName(m_session, c->pathA), checkpointName(m_session, c->pathB)));
  QStringList lines;
  if (c->hasPredictions)
    lines << tr("Top-1 predictions agree at %1% of positions.").arg(c->top1Agree * 100.0, 0, 'f', 1);
  for (const LayerComparison& l : c->layers)
    lines << tr("Layer %1: state differs by %2% (||e_B - e_A|| / ||e_A||), sources agree at %3% of cells")
                 .arg(l.layer)
                 .arg(l.stateRelDiff * 100.0, 0, 'f', 2)
                 .arg(l.sourceAgree * 100.0, 0, 'f', 1);
  m_summary->setText(lines.join(QLatin1Char('\n')));
  m_parameters->setRowCount(static_cast<int>(c->parameters.size()));
  for (size_t i = 0; i < c->parameters.size(); ++i) {
    const ParameterChange& p = c->parameters[i];
    const int row = static_cast<int>(i);
    m_parameters->setItem(row, 0, new QTableWidgetItem(QString::fromStdString(p.name)));
    m_parameters->setItem(row, 1, new QTableWidgetItem(shapeText(p.shape)));
    auto* value =
        new QTableWidgetItem(p.relChange ? QString::number(*p.relChange, 'g', 6) : tr("(A is zero)"));
    value->setData(Qt::UserRole, p.relChange ? *p.relChange : qQNaN());
    value->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_parameters->setItem(row, 2, value);
  }
  m_parameters->resizeColumnToContents(1);
  m_parameters->resizeColumnToContents(2);
  m_updating = false;
}

bool ComparePanel::saveParameters(const QString& path, QString* error) const {
  const auto& c = m_session.comparison();
  if (!c) {
    if (error) *error = tr("nothing is compared: compare two checkpoints first");
    return false;
  }
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
    if (error) *error = tr("cannot write %1: %2").arg(path, file.errorString());
    return false;
  }
  QString text = QStringLiteral("# relative change ||W_B - W_A|| / ||W_A||, A = %1, B = %2\n")
                     .arg(QFileInfo(c->pathA).fileName(), QFileInfo(c->pathB).fileName());
  text += QStringLiteral("name,shape,rel_change\n");
  for (const ParameterChange& p : c->parameters)
    text += QStringLiteral("%1,\"%2\",%3\n")
                .arg(QString::fromStdString(p.name), shapeText(p.shape),
                     p.relChange ? QString::number(*p.relChange, 'g', 17) : QString());
  file.write(text.toUtf8());
  if (!file.commit()) {
    if (error) *error = tr("cannot write %1: %2").arg(path, file.errorString());
    return false;
  }
  return true;
}

void ComparePanel::saveDialog() {
  const auto& c = m_session.comparison();
  if (!c) return;
  const QString stem =
      QStringLiteral("%1_vs_%2_parameter_changes.csv")
          .arg(QFileInfo(c->pathB).completeBaseName(), QFileInfo(c->pathA).completeBaseName());
  const QString path =
      QFileDialog::getSaveFileName(this, tr("Save the parameter changes"), stem, tr("CSV (*.csv)"));
  if (path.isEmpty()) return;
  QString error;
  if (!saveParameters(path, &error)) QMessageBox::warning(this, tr("Save the parameter changes"), error);
}

}  // namespace maxstate::ui
