#include "ui/data/edit_text.h"

#include <QCoreApplication>

namespace maxstate::ui {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("EditText", text); }

QString token(int64_t id, const std::function<QString(int64_t)>& label) {
  const QString name = label ? label(id) : QString();
  return name.isEmpty() ? tr("id %1").arg(id) : tr("\u201c%1\u201d (id %2)").arg(name).arg(id);
}

QString where(const Edit& e) {
  if (e.layer < 0) return tr("in every layer");
  if (e.head < 0) return tr("in layer %1").arg(e.layer);
  return tr("in layer %1, head %2").arg(e.layer).arg(e.head);
}

}  // namespace

QString describeEdit(const Edit& e, const std::function<QString(int64_t)>& tokenLabel) {
  switch (e.kind) {
    case EditKind::Replace:
      return tr("Replace position %1 with %2").arg(e.position).arg(token(e.token, tokenLabel));
    case EditKind::Delete:
      return tr("Delete position %1").arg(e.position);
    case EditKind::Insert:
      return tr("Insert %1 before position %2").arg(token(e.token, tokenLabel)).arg(e.position);
    case EditKind::Knockout:
      return tr("Knock out position %1 %2").arg(e.position).arg(where(e));
    case EditKind::ZeroState:
      return tr("Zero the state of layer %1, head %2 from position %3")
          .arg(e.layer)
          .arg(e.head)
          .arg(e.position);
    case EditKind::FreezeState:
      return tr("Freeze the state of layer %1, head %2 from position %3")
          .arg(e.layer)
          .arg(e.head)
          .arg(e.position);
    case EditKind::DropTerm:
      return tr("Drop T%1 of layer %2, head %3 from position %4")
          .arg(e.term)
          .arg(e.layer)
          .arg(e.head)
          .arg(e.position);
  }
  return specText(e);
}

QString specText(const Edit& edit) { return QString::fromStdString(editSpec(edit)); }

}  // namespace maxstate::ui
