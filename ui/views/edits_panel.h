#pragma once
// The Edits dock (what if?): the list of edits with their SPEC text and a readable description, a checkbox
// to switch each off, Remove, Undo / Redo, and what the views show (Edited / Base / Difference). Changes from
// the panel go to the WhatIfController; changes from the model (the session's list and display) are shown
// without being sent back.
#include <QWidget>

#include "ui/session/session.h"
#include "ui/session/whatif_controller.h"

class QComboBox;
class QLabel;
class QListWidget;
class QListWidgetItem;
class QPushButton;

namespace maxstate::ui {

class EditsPanel : public QWidget {
  Q_OBJECT
 public:
  EditsPanel(Session& session, WhatIfController& controller, QWidget* parent = nullptr);

  QListWidget* list() const { return m_list; }
  QComboBox* displayChoice() const { return m_display; }
  QPushButton* removeButton() const { return m_remove; }

 private:
  void refresh();  // from the session
  void onItemChanged(QListWidgetItem* item);
  QString tokenLabel(int64_t id) const;

  Session& m_session;
  WhatIfController& m_controller;
  QListWidget* m_list;
  QComboBox* m_display;
  QPushButton* m_remove;
  QPushButton* m_undo;
  QPushButton* m_redo;
  QLabel* m_summary;
  bool m_updating = false;  // true while the panel shows the model's state: no change goes back
};

}  // namespace maxstate::ui
