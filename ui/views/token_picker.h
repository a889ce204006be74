#pragma once
// A searchable list of the vocabulary for what-if edits (Replace..., Insert before...): type part of a token
// or an id, pick one. Its model is exposed so that tests can check the filter without opening the dialog.
#include <QDialog>
#include <optional>

#include "ui/session/model_handle.h"

class QLineEdit;
class QListView;
class QSortFilterProxyModel;
class QStandardItemModel;

namespace maxstate::ui {

class TokenPicker : public QDialog {
  Q_OBJECT
 public:
  static constexpr int kIdRole = Qt::UserRole + 1;
  TokenPicker(const ModelHandle& model, const QString& title, QWidget* parent = nullptr);

  // Shows only tokens containing `text`, or the id `text` names.
  void setFilter(const QString& text);
  int shownCount() const;
  std::optional<int64_t> shownId(int row) const;
  // The chosen id (the current row, or the only one left).
  std::optional<int64_t> chosen() const;

  // Opens the dialog; nullopt when the user cancels.
  static std::optional<int64_t> pick(const ModelHandle& model, const QString& title, QWidget* parent);

 private:
  QLineEdit* m_search;
  QListView* m_list;
  QStandardItemModel* m_items;
  QSortFilterProxyModel* m_filter;
};

}  // namespace maxstate::ui
