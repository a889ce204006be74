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

namespace maxstate::ui {

InputPanel::InputPanel(Session& session, ExplorerController& controller, QWidget* parent)
    : QWidget(parent),
      m_session(session),
      m_controller(controller),
      m_stack(new QStackedWidget(this)),
      m_kind(new QComboBox(this)),
      m_text(new QPlainTextEdit(this)),
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
  m_kind->addItem(tr("text"));
  m_kind->addItem(tr("token ids"));
  kindRow->addWidget(m_kind, 1);
  modelLayout->addLayout(kindRow);
  m_text->setPlaceholderText(tr("Text to trace (or ids: 1, 52, 7). Ctrl+Return traces."));
  m_text->setTabChangesFocus(true);
  modelLayout->addWidget(m_text, 1);
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

void InputPanel::trace() {
  SessionInput input;
  input.kind = m_kind->currentIndex() == 1 ? InputKind::Ids : InputKind::Text;
  input.text = m_text->toPlainText();
  input.randomLength = m_length->value();
  m_controller.traceInput(input);
}

void InputPanel::append() {
  const QString more = m_append->text();
  if (more.isEmpty()) return;
  m_controller.append(more);
  m_append->clear();
}

void InputPanel::showSessionInput() {
  const SessionInput& input = m_session.input();
  m_kind->setCurrentIndex(input.kind == InputKind::Ids ? 1 : 0);
  if (m_text->toPlainText() != input.text) m_text->setPlainText(input.text);
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
