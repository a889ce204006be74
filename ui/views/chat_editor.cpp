#include "ui/views/chat_editor.h"

#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageBox>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace maxstate::ui {
namespace {

const QStringList kRoles = {QStringLiteral("system"), QStringLiteral("user"), QStringLiteral("assistant"),
                            QStringLiteral("tool")};
constexpr int kFieldsRole = Qt::UserRole;  // the message's other fields, on the content cell

}  // namespace

ChatEditor::ChatEditor(QWidget* parent) : QWidget(parent), m_table(new QTableWidget(0, 2, this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  m_table->setHorizontalHeaderLabels({tr("Role"), tr("Content")});
  m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
  m_table->verticalHeader()->setVisible(false);
  m_table->setWordWrap(true);
  layout->addWidget(m_table, 1);
  auto* buttons = new QHBoxLayout;
  auto* add = new QPushButton(tr("Add message"), this);
  auto* remove = new QPushButton(tr("Remove"), this);
  auto* load = new QPushButton(tr("Load JSON..."), this);
  load->setToolTip(tr("A JSON list of {\"role\", \"content\", ...} messages"));
  buttons->addWidget(add);
  buttons->addWidget(remove);
  buttons->addStretch(1);
  buttons->addWidget(load);
  layout->addLayout(buttons);
  connect(add, &QPushButton::clicked, this, [this] { addMessage(QStringLiteral("user"), QString()); });
  connect(remove, &QPushButton::clicked, this, &ChatEditor::removeSelected);
  connect(load, &QPushButton::clicked, this, &ChatEditor::loadFile);
  connect(m_table, &QTableWidget::itemChanged, this, &ChatEditor::edited);
}

void ChatEditor::addMessage(const QString& role, const QString& content) {
  const int row = m_table->rowCount();
  m_table->insertRow(row);
  auto* box = new QComboBox(m_table);
  box->addItems(kRoles);
  box->setCurrentIndex(std::max(0, static_cast<int>(kRoles.indexOf(role))));
  connect(box, &QComboBox::currentIndexChanged, this, &ChatEditor::edited);
  m_table->setCellWidget(row, 0, box);
  m_table->setItem(row, 1, new QTableWidgetItem(content));
  emit edited();
}

QString ChatEditor::toJson() const {
  QJsonArray messages;
  for (int row = 0; row < m_table->rowCount(); ++row) {
    const QTableWidgetItem* item = m_table->item(row, 1);
    QJsonObject m = item ? item->data(kFieldsRole).toJsonObject() : QJsonObject();
    m.insert(QStringLiteral("role"), static_cast<QComboBox*>(m_table->cellWidget(row, 0))->currentText());
    m.insert(QStringLiteral("content"), item ? item->text() : QString());
    messages.append(m);
  }
  return QString::fromUtf8(QJsonDocument(messages).toJson(QJsonDocument::Compact));
}

bool ChatEditor::setJson(const QString& json) {
  const QJsonDocument doc = QJsonDocument::fromJson(json.toUtf8());
  QJsonArray messages =
      doc.isObject() ? doc.object().value(QStringLiteral("messages")).toArray() : doc.array();
  if (doc.isNull() || (!doc.isArray() && messages.isEmpty())) return false;
  for (const QJsonValue& v : messages)
    if (!v.isObject()) return false;
  const QSignalBlocker block(this);
  m_table->setRowCount(0);
  for (const QJsonValue& v : messages) {
    QJsonObject m = v.toObject();
    addMessage(m.value(QStringLiteral("role")).toString(), m.value(QStringLiteral("content")).toString());
    m.remove(QStringLiteral("role"));
    m.remove(QStringLiteral("content"));
    m_table->item(m_table->rowCount() - 1, 1)->setData(kFieldsRole, m);
  }
  return true;
}

void ChatEditor::loadFile() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Load a conversation"), QString(),
                                                    tr("Conversations (*.json);;All files (*)"));
  if (path.isEmpty()) return;
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly) || !setJson(QString::fromUtf8(file.readAll()))) {
    QMessageBox::warning(
        this, tr("Load a conversation"),
        tr("%1 is not a conversation: expected a JSON list of {\"role\", \"content\"} messages.").arg(path));
    return;
  }
  emit edited();
}

void ChatEditor::removeSelected() {
  const int row = m_table->currentRow();
  if (row < 0) return;
  m_table->removeRow(row);
  emit edited();
}

}  // namespace maxstate::ui
