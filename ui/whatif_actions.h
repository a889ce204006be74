#pragma once
// The what-if context menus (SPEC section 5): right-click a token (replace, delete, insert before, knock
// out), a head (zero or freeze its state from the cursor) or a term (drop it from the cursor). Each action
// adds one edit through the WhatIfController. The fill functions are public so that tests can trigger the
// very actions the menus show.
#include <QMenu>
#include <QObject>
#include <functional>
#include <optional>

#include "ui/session/session.h"
#include "ui/session/whatif_controller.h"

namespace maxstate::ui {

class WhatIfActions : public QObject {
  Q_OBJECT
 public:
  // Asks for a token id (the searchable token picker by default); nullopt: the user cancelled.
  using PickToken = std::function<std::optional<int64_t>(const QString& title)>;

  WhatIfActions(Session& session, WhatIfController& controller, QWidget* window);
  void setTokenPicker(PickToken pick) { m_pick = std::move(pick); }

  // Position `position` of the run on display. Actions are named (objectName) whatifReplace, whatifDelete,
  // whatifInsert, whatifKnockout, whatifKnockoutLayer, whatifKnockoutHead, whatifZeroState,
  // whatifFreezeState and whatifDropT1..whatifDropT6.
  void fillTokenMenu(QMenu& menu, int64_t position);
  // The selected layer and head, from the cursor.
  void fillHeadMenu(QMenu& menu);
  // Every term of the selected head, from the cursor.
  void fillTermMenu(QMenu& menu);

 private:
  QAction* add(QMenu& menu, const QString& name, const QString& text, const Edit& edit, bool enabled = true,
               const QString& why = {});
  bool hasTokens() const;

  Session& m_session;
  WhatIfController& m_controller;
  QWidget* m_window;
  PickToken m_pick;
};

}  // namespace maxstate::ui
