#pragma once
// The Compare dock (issue 14): which checkpoint is A (the reference) and which is B, what the views show (A,
// B or B minus A), how each layer's state and sources differ, and every parameter tensor sorted by how far it
// moved (relative change, SPEC section 7), which can be saved as CSV.
#include <QWidget>

#include "ui/session/compare_controller.h"
#include "ui/session/session.h"

class QComboBox;
class QLabel;
class QPushButton;
class QTableWidget;

namespace maxstate::ui {

class ComparePanel : public QWidget {
  Q_OBJECT
 public:
  ComparePanel(Session& session, CompareController& controller, QWidget* parent = nullptr);

  QTableWidget* parameterTable() const { return m_parameters; }
  QComboBox* displayBox() const { return m_display; }
  QLabel* header() const { return m_header; }
  // Writes the parameter table (name, shape, relative change) as CSV, atomically; false with `error` set.
  bool saveParameters(const QString& path, QString* error) const;

 private:
  void refresh();
  void saveDialog();

  Session& m_session;
  CompareController& m_controller;
  QLabel* m_header;
  QComboBox* m_display;
  QPushButton* m_stop;
  QPushButton* m_save;
  QLabel* m_summary;
  QTableWidget* m_parameters;
  bool m_updating = false;
};

}  // namespace maxstate::ui
