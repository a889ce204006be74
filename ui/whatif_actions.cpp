#include "ui/whatif_actions.h"

#include "ui/data/edit_text.h"
#include "ui/data/view_data.h"
#include "ui/views/token_picker.h"
#include "ui/views/token_text.h"

namespace maxstate::ui {

WhatIfActions::WhatIfActions(Session& session, WhatIfController& controller, QWidget* window)
    : QObject(window), m_session(session), m_controller(controller), m_window(window) {
  m_pick = [this](const QString& title) -> std::optional<int64_t> {
    const int i = m_session.tracedCheckpoint();
    if (i < 0) return std::nullopt;
    return TokenPicker::pick(*m_session.checkpoint(i).model, title, m_window);
  };
}

bool WhatIfActions::hasTokens() const {
  return m_session.trace() && m_session.trace()->info().kind == ModelKind::Model;
}

QAction* WhatIfActions::add(QMenu& menu, const QString& name, const QString& text, const Edit& edit,
                            bool enabled, const QString& why) {
  QAction* a = menu.addAction(enabled || why.isEmpty() ? text : tr("%1 (%2)").arg(text, why));
  a->setObjectName(name);
  a->setEnabled(enabled);
  a->setToolTip(specText(edit));
  connect(a, &QAction::triggered, this, [this, edit] { m_controller.addEdit(edit); });
  return a;
}

void WhatIfActions::fillTokenMenu(QMenu& menu, int64_t shown) {
  QMenu* whatIf = &menu;
  whatIf->setToolTipsVisible(true);
  const int64_t p = m_controller.editPosition(shown);
  const QString token = quotedToken(m_session.label(shown));
  if (p < 0) {
    menu.addAction(
            tr("What if? Position %1 was deleted by an edit: show the edited run to edit near it").arg(shown))
        ->setEnabled(false);
    return;
  }
  const bool tokens = hasTokens();
  const QString noTokens = tokens ? QString() : tr("a bare layer has no tokens");
  QAction* replace = whatIf->addAction(tr("Replace %1...").arg(token));
  replace->setObjectName(QStringLiteral("whatifReplace"));
  replace->setEnabled(tokens);
  connect(replace, &QAction::triggered, this, [this, p] {
    if (const auto id = m_pick(tr("Replace position %1 with").arg(p))) {
      Edit e;
      e.kind = EditKind::Replace;
      e.position = p;
      e.token = *id;
      m_controller.addEdit(e);
    }
  });
  Edit del;
  del.kind = EditKind::Delete;
  del.position = p;
  add(*whatIf, QStringLiteral("whatifDelete"), tr("Delete %1").arg(token), del, tokens, noTokens);
  QAction* insert = whatIf->addAction(tr("Insert before %1...").arg(token));
  insert->setObjectName(QStringLiteral("whatifInsert"));
  insert->setEnabled(tokens);
  connect(insert, &QAction::triggered, this, [this, p] {
    if (const auto id = m_pick(tr("Insert before position %1").arg(p))) {
      Edit e;
      e.kind = EditKind::Insert;
      e.position = p;
      e.token = *id;
      m_controller.addEdit(e);
    }
  });
  whatIf->addSeparator();
  // Position 0 has nothing before it to keep the state: the core refuses it, the menu says so first.
  const bool knockable = p >= 1;
  const QString first = tr("position 0 has nothing before it");
  Edit k;
  k.kind = EditKind::Knockout;
  k.position = p;
  add(*whatIf, QStringLiteral("whatifKnockout"), tr("Knock out %1 everywhere").arg(token), k, knockable,
      first);
  k.layer = m_session.layer();
  add(*whatIf, QStringLiteral("whatifKnockoutLayer"), tr("Knock out %1 in layer %2").arg(token).arg(k.layer),
      k, knockable, first);
  k.head = m_session.head();
  add(*whatIf, QStringLiteral("whatifKnockoutHead"),
      tr("Knock out %1 in layer %2, head %3").arg(token).arg(k.layer).arg(k.head), k, knockable, first);
}

void WhatIfActions::fillHeadMenu(QMenu& menu) {
  if (!m_session.trace()) return;
  const int64_t p = m_controller.editPosition(m_session.cursor());
  if (p < 0) return;
  Edit e;
  e.layer = m_session.layer();
  e.head = m_session.head();
  e.position = p;
  e.kind = EditKind::ZeroState;
  add(menu, QStringLiteral("whatifZeroState"),
      tr("Zero the state of layer %1, head %2 from position %3").arg(e.layer).arg(e.head).arg(p), e);
  e.kind = EditKind::FreezeState;
  add(menu, QStringLiteral("whatifFreezeState"),
      tr("Freeze the state of layer %1, head %2 from position %3").arg(e.layer).arg(e.head).arg(p), e, p >= 1,
      tr("position 0 has no state before it"));
}

void WhatIfActions::fillTermMenu(QMenu& menu) {
  const auto& record = m_session.record();
  if (!record) return;
  const int64_t p = m_controller.editPosition(m_session.cursor());
  if (p < 0) return;
  const int terms = static_cast<int>(recordShape(*record).terms);
  for (int t = 1; t <= terms; ++t) {
    Edit e;
    e.kind = EditKind::DropTerm;
    e.layer = m_session.layer();
    e.head = m_session.head();
    e.term = t;
    e.position = p;
    add(menu, QStringLiteral("whatifDropT%1").arg(t),
        tr("Drop %1 of layer %2, head %3 from position %4")
            .arg(termName(t - 1))
            .arg(e.layer)
            .arg(e.head)
            .arg(p),
        e);
  }
}

}  // namespace maxstate::ui
