#pragma once
// The input: text (tokenised with the model's vocabulary) or ids for whole models, the length of a random
// input for bare layers; Trace runs it, Append extends the current trace step by step.
#include <QWidget>

#include "ui/session/explorer_controller.h"
#include "ui/session/session.h"

class QComboBox;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QStackedWidget;

namespace maxstate::ui {

class InputPanel : public QWidget {
  Q_OBJECT
 public:
  InputPanel(Session& session, ExplorerController& controller, QWidget* parent = nullptr);

  QPlainTextEdit* textEdit() const { return m_text; }
  QComboBox* kindBox() const { return m_kind; }
  QLineEdit* appendEdit() const { return m_append; }
  // Traces what the panel holds now.
  void trace();
  void append();

 private:
  void showSessionInput();
  void showModelKind();

  Session& m_session;
  ExplorerController& m_controller;
  QStackedWidget* m_stack;
  QComboBox* m_kind;
  QPlainTextEdit* m_text;
  QSpinBox* m_length;
  QLineEdit* m_append;
  QPushButton* m_traceButton;
  QPushButton* m_appendButton;
};

}  // namespace maxstate::ui
