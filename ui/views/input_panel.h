#pragma once
// The input: text (by OpenASH's tokeniser or by longest match), a chat, or ids for whole models, the length
// of a random input for bare layers; Trace runs it, Append extends the current trace step by step.
#include <QWidget>
#include <array>
#include <optional>

#include "ui/session/explorer_controller.h"
#include "ui/session/session.h"

class QComboBox;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QStackedWidget;

namespace maxstate::ui {

class ChatEditor;

class InputPanel : public QWidget {
  Q_OBJECT
 public:
  // The entries of "Input as", in order.
  struct Choice {
    InputKind kind;
    std::optional<Tokenizer> tokenizer;
  };
  static constexpr std::array<Choice, 4> kChoices = {{{InputKind::Text, Tokenizer::OpenAsh},
                                                      {InputKind::Text, Tokenizer::Longest},
                                                      {InputKind::Chat, std::nullopt},
                                                      {InputKind::Ids, std::nullopt}}};
  static int choiceIndex(const SessionInput& input);

  InputPanel(Session& session, ExplorerController& controller, QWidget* parent = nullptr);

  QPlainTextEdit* textEdit() const { return m_text; }
  QComboBox* kindBox() const { return m_kind; }
  ChatEditor* chatEditor() const { return m_chat; }
  // What the panel holds now.
  SessionInput input() const;
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
  ChatEditor* m_chat;
  QStackedWidget* m_editors;  // the text box (text and ids) or the chat editor
  QSpinBox* m_length;
  QLineEdit* m_append;
  QPushButton* m_traceButton;
  QPushButton* m_appendButton;
};

}  // namespace maxstate::ui
