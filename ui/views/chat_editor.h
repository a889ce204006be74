#pragma once
// A conversation to trace, as OpenASH's chat template reads it: one row per message (role and content),
// edited in place or loaded from a JSON file. Fields the table does not show (reasoning_content, tool_calls,
// tools) are kept from the file and written back with the row.
#include <QWidget>

class QTableWidget;

namespace maxstate::ui {

class ChatEditor : public QWidget {
  Q_OBJECT
 public:
  explicit ChatEditor(QWidget* parent = nullptr);

  QTableWidget* table() const { return m_table; }
  // The conversation as a JSON list of messages (what maxstate::parseChat reads).
  QString toJson() const;
  // Shows a conversation; returns false (and leaves the table as it was) when `json` is not a list of
  // messages.
  bool setJson(const QString& json);
  void addMessage(const QString& role, const QString& content);

 signals:
  void edited();

 private:
  void loadFile();
  void removeSelected();

  QTableWidget* m_table;
};

}  // namespace maxstate::ui
