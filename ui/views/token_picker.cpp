#include "ui/views/token_picker.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QVBoxLayout>

#include "ui/views/token_text.h"

namespace maxstate::ui {

namespace {

// Matches a token's text, or its id exactly when the search is a number.
class TokenFilter : public QSortFilterProxyModel {
 public:
  using QSortFilterProxyModel::QSortFilterProxyModel;
  void setText(const QString& text) {
    m_text = text;
    bool ok = false;
    m_id = text.trimmed().toLongLong(&ok);
    m_isId = ok;
    invalidateFilter();
  }

 protected:
  bool filterAcceptsRow(int row, const QModelIndex& parent) const override {
    if (m_text.isEmpty()) return true;
    const QModelIndex i = sourceModel()->index(row, 0, parent);
    if (m_isId && i.data(TokenPicker::kIdRole).toLongLong() == m_id) return true;
    return i.data(Qt::UserRole + 2).toString().contains(m_text, Qt::CaseInsensitive);
  }

 private:
  QString m_text;
  qlonglong m_id = -1;
  bool m_isId = false;
};

}  // namespace

TokenPicker::TokenPicker(const ModelHandle& model, const QString& title, QWidget* parent)
    : QDialog(parent),
      m_search(new QLineEdit(this)),
      m_list(new QListView(this)),
      m_items(new QStandardItemModel(this)),
      m_filter(new TokenFilter(this)) {
  setWindowTitle(title);
  setObjectName(QStringLiteral("tokenPicker"));
  std::vector<int64_t> ids(static_cast<size_t>(model.info().vocabSize.value_or(0)));
  for (size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<int64_t>(i);
  const std::vector<std::string> labels = model.tokenLabels(ids);
  for (size_t i = 0; i < ids.size(); ++i) {
    const QString text = i < labels.size() ? QString::fromStdString(labels[i]) : QString();
    auto* item = new QStandardItem(tr("%1   %2").arg(ids[i], 6).arg(visibleToken(text, 40)));
    item->setData(QVariant::fromValue<qlonglong>(ids[i]), kIdRole);
    item->setData(text, Qt::UserRole + 2);
    item->setEditable(false);
    m_items->appendRow(item);
  }
  m_filter->setSourceModel(m_items);
  m_list->setModel(m_filter);
  m_list->setUniformItemSizes(true);  // tens of thousands of rows
  m_search->setPlaceholderText(tr("Search a token, or type an id"));
  m_search->setClearButtonEnabled(true);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(new QLabel(tr("%1 tokens").arg(ids.size()), this));
  layout->addWidget(m_search);
  layout->addWidget(m_list, 1);
  layout->addWidget(buttons);
  resize(420, 520);
  connect(m_search, &QLineEdit::textChanged, this, &TokenPicker::setFilter);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(m_list, &QListView::activated, this, &QDialog::accept);
}

void TokenPicker::setFilter(const QString& text) {
  if (m_search->text() != text) m_search->setText(text);
  static_cast<TokenFilter*>(m_filter)->setText(text);
  if (m_filter->rowCount() > 0) m_list->setCurrentIndex(m_filter->index(0, 0));
}

int TokenPicker::shownCount() const { return m_filter->rowCount(); }

std::optional<int64_t> TokenPicker::shownId(int row) const {
  if (row < 0 || row >= m_filter->rowCount()) return std::nullopt;
  return m_filter->index(row, 0).data(kIdRole).toLongLong();
}

std::optional<int64_t> TokenPicker::chosen() const {
  const QModelIndex i = m_list->currentIndex();
  if (i.isValid()) return i.data(kIdRole).toLongLong();
  return m_filter->rowCount() == 1 ? shownId(0) : std::nullopt;
}

std::optional<int64_t> TokenPicker::pick(const ModelHandle& model, const QString& title, QWidget* parent) {
  TokenPicker picker(model, title, parent);
  if (picker.exec() != QDialog::Accepted) return std::nullopt;
  return picker.chosen();
}

}  // namespace maxstate::ui
