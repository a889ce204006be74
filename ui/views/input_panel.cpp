#include "ui/views/input_panel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

#include "ui/views/chat_editor.h"

namespace maxstate::ui {

int InputPanel::choiceIndex(const SessionInput& input) {
  for (size_t i = 0; i < kChoices.size(); ++i) {
    const Choice& c = kChoices[i];
    const bool textual = input.kind == InputKind::Text || input.kind == InputKind::TextFile;
    if (textual && c.kind == InputKind::Text && c.tokenizer == input.tokenizer.value_or(Tokenizer::OpenAsh))
      return static_cast<int>(i);
    if (!textual && c.kind == input.kind) return static_cast<int>(i);
  }
  return 0;
}

InputPanel::InputPanel(Session& session, ExplorerController& controller, QWidget* parent)
    : QWidget(parent),
      m_session(session),
      m_controller(controller),
      m_stack(new QStackedWidget(this)),
      m_kind(new QComboBox(this)),
      m_text(new QPlainTextEdit(this)),
      m_chat(new ChatEditor(this)),
      m_editors(new QStackedWidget(this)),
      m_length(new QSpinBox(this)),
      m_append(new QLineEdit(this)),
      m_traceButton(new QPushButton(tr("&Trace"), this)),
      m_appendButton(new QPushButton(tr("&Append"), this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);

  // Page 0: a whole model's input; page 1: a bare layer's random input.
  auto* modelPage = new QWidget(this);
  auto* modelLayout = new QVBoxLayout(modelPage);
  modelLayout->setContentsMargins(0, 0, 0, 0);
  auto* kindRow = new QHBoxLayout;
  kindRow->addWidget(new QLabel(tr("Input as"), modelPage));
  // In the order of kChoices (input_panel.h).
  m_kind->addItem(tr("text (OpenASH tokeniser)"));
  m_kind->addItem(tr("text (longest match)"));
  m_kind->addItem(tr("chat"));
  m_kind->addItem(tr("token ids"));
  m_kind->setItemData(0,
                      tr("OpenASH's own encoder: jieba's words, then tokens, proxies and <|unk|>, exactly as "
                         "its models were trained"),
                      Qt::ToolTipRole);
  m_kind->setItemData(1, tr("The longest token that matches, character by character"), Qt::ToolTipRole);
  m_kind->setItemData(2, tr("A conversation, as OpenASH's chat template writes it"), Qt::ToolTipRole);
  kindRow->addWidget(m_kind, 1);
  modelLayout->addLayout(kindRow);
  m_text->setPlaceholderText(tr("Text to trace (or ids: 1, 52, 7). Ctrl+Return traces."));
  m_text->setTabChangesFocus(true);
  m_editors->addWidget(m_text);
  m_editors->addWidget(m_chat);
  modelLayout->addWidget(m_editors, 1);
  connect(m_kind, &QComboBox::currentIndexChanged, this, [this](int i) {
    m_editors->setCurrentIndex(kChoices[static_cast<size_t>(std::max(0, i))].kind == InputKind::Chat ? 1 : 0);
  });
  auto* appendRow = new QHBoxLayout;
  m_append->setPlaceholderText(tr("more text, run step by step"));
  appendRow->addWidget(m_append, 1);
  appendRow->addWidget(m_appendButton);
  modelLayout->addLayout(appendRow);
  m_stack->addWidget(modelPage);

  auto* layerPage = new QWidget(this);
  auto* layerLayout = new QFormLayout(layerPage);
  m_length->setRange(1, 100000);
  m_length->setValue(64);
  layerLayout->addRow(
      new QLabel(tr("A bare layer has no tokens: it is traced on a seeded random input."), layerPage));
  layerLayout->addRow(tr("Positions"), m_length);
  m_stack->addWidget(layerPage);

  layout->addWidget(m_stack, 1);
  layout->addWidget(m_traceButton);

  m_traceButton->setToolTip(tr("Trace the input through the current checkpoint (Ctrl+Return)"));
  m_appendButton->setToolTip(tr("Extend the trace with this text, running the model step by step"));
  connect(m_traceButton, &QPushButton::clicked, this, &InputPanel::trace);
  connect(m_appendButton, &QPushButton::clicked, this, &InputPanel::append);
  connect(m_append, &QLineEdit::returnPressed, this, &InputPanel::append);
  auto* shortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
  shortcut->setContext(Qt::WidgetWithChildrenShortcut);
  connect(shortcut, &QShortcut::activated, this, &InputPanel::trace);
  connect(&m_session, &Session::inputChanged, this, &InputPanel::showSessionInput);
  connect(&m_session, &Session::currentCheckpointChanged, this, &InputPanel::showModelKind);
  connect(&m_session, &Session::checkpointsChanged, this, &InputPanel::showModelKind);
  showSessionInput();
  showModelKind();
}

SessionInput InputPanel::input() const {
  SessionInput input;
  const Choice& choice = kChoices[static_cast<size_t>(std::max(0, m_kind->currentIndex()))];
  input.kind = choice.kind;
  input.tokenizer = choice.tokenizer;
  input.text = input.kind == InputKind::Chat ? m_chat->toJson() : m_text->toPlainText();
  input.randomLength = m_length->value();
  return input;
}

void InputPanel::trace() { m_controller.traceInput(input()); }

void InputPanel::append() {
  const QString more = m_append->text();
  if (more.isEmpty()) return;
  m_controller.append(more);
  m_append->clear();
}

void InputPanel::showSessionInput() {
  const SessionInput& input = m_session.input();
  m_kind->setCurrentIndex(choiceIndex(input));
  if (input.kind == InputKind::Chat) {
    if (m_chat->toJson() != input.text) m_chat->setJson(input.text);
  } else if (m_text->toPlainText() != input.text) {
    m_text->setPlainText(input.text);
  }
  m_length->setValue(static_cast<int>(input.randomLength));
}

void InputPanel::showModelKind() {
  const ModelHandle* model = m_session.currentModel();
  const bool layer = model && model->info().kind == ModelKind::Layer;
  m_stack->setCurrentIndex(layer ? 1 : 0);
  m_traceButton->setEnabled(model != nullptr);
  m_appendButton->setEnabled(model != nullptr && !layer);
}

}  // namespace maxstate::ui
