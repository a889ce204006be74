#include "ui/views/edits_panel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>
#include <algorithm>

#include "ui/data/edit_text.h"

namespace maxstate::ui {

EditsPanel::EditsPanel(Session& session, WhatIfController& controller, QWidget* parent)
    : QWidget(parent),
      m_session(session),
      m_controller(controller),
      m_list(new QListWidget(this)),
      m_display(new QComboBox(this)),
      m_remove(new QPushButton(tr("Remove"), this)),
      m_undo(new QPushButton(tr("Undo"), this)),
      m_redo(new QPushButton(tr("Redo"), this)),
      m_summary(new QLabel(this)) {
  m_list->setObjectName(QStringLiteral("editsList"));
  m_list->setWordWrap(true);  // the description and the SPEC text, both readable in a narrow dock
  m_display->setObjectName(QStringLiteral("whatifDisplay"));
  m_display->addItems({tr("Edited run"), tr("Base run"), tr("Difference (edited minus base)")});
  m_display->setToolTip(tr("What the views show while edits are on"));
  m_summary->setWordWrap(true);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(m_remove);
  buttons->addStretch(1);
  buttons->addWidget(m_undo);
  buttons->addWidget(m_redo);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(m_display);
  layout->addWidget(m_list, 1);
  layout->addLayout(buttons);
  layout->addWidget(m_summary);

  // Changes from the panel.
  connect(m_list, &QListWidget::itemChanged, this, &EditsPanel::onItemChanged);
  connect(m_remove, &QPushButton::clicked, this, [this] { m_controller.removeEdit(m_list->currentRow()); });
  connect(m_display, &QComboBox::currentIndexChanged, this, [this](int i) {
    if (!m_updating) m_session.setDisplay(static_cast<WhatIfDisplay>(i));
  });
  QUndoStack& undo = m_controller.undoStack();
  connect(m_undo, &QPushButton::clicked, &undo, &QUndoStack::undo);
  connect(m_redo, &QPushButton::clicked, &undo, &QUndoStack::redo);
  connect(&undo, &QUndoStack::canUndoChanged, m_undo, &QWidget::setEnabled);
  connect(&undo, &QUndoStack::canRedoChanged, m_redo, &QWidget::setEnabled);
  connect(&undo, &QUndoStack::undoTextChanged, m_undo, [this](const QString& t) { m_undo->setToolTip(t); });
  connect(&undo, &QUndoStack::redoTextChanged, m_redo, [this](const QString& t) { m_redo->setToolTip(t); });
  connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) { m_remove->setEnabled(row >= 0); });

  // Changes from the model.
  connect(&m_session, &Session::editsChanged, this, &EditsPanel::refresh);
  connect(&m_session, &Session::displayChanged, this, &EditsPanel::refresh);
  connect(&m_controller, &WhatIfController::editsRejected, this, &EditsPanel::refresh);
  refresh();
}

QString EditsPanel::tokenLabel(int64_t id) const {
  const int i = m_session.tracedCheckpoint();
  if (i < 0) return {};
  const auto labels = m_session.checkpoint(i).model->tokenLabels({id});
  return labels.empty() ? QString() : QString::fromStdString(labels.front());
}

void EditsPanel::refresh() {
  m_updating = true;
  const int row = m_list->currentRow();
  m_list->clear();
  for (const SessionEdit& e : m_session.edits()) {
    auto* item = new QListWidgetItem(
        tr("%1\n%2").arg(describeEdit(e.edit, [this](int64_t id) { return tokenLabel(id); }),
                         specText(e.edit)),
        m_list);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(e.enabled ? Qt::Checked : Qt::Unchecked);
  }
  m_list->setCurrentRow(std::min(row, m_list->count() - 1));
  m_remove->setEnabled(m_list->currentRow() >= 0);
  m_undo->setEnabled(m_controller.undoStack().canUndo());
  m_redo->setEnabled(m_controller.undoStack().canRedo());
  m_display->setCurrentIndex(static_cast<int>(m_session.display()));
  const auto& w = m_session.whatIf();
  m_summary->setText(m_session.edits().empty()
                         ? tr("No edits. Right-click a token, the state heatmap, the state at the cursor or "
                              "the terms to ask what if.")
                     : w ? tr("Edited run: %1 positions (base %2); it can differ from position %3 on.")
                               .arg(w->edited->length())
                               .arg(w->base->length())
                               .arg(w->firstAffected)
                         : tr("Every edit is off: the base run is shown."));
  m_updating = false;
}

void EditsPanel::onItemChanged(QListWidgetItem* item) {
  if (m_updating) return;
  m_controller.setEnabled(m_list->row(item), item->checkState() == Qt::Checked);
}

}  // namespace maxstate::ui
