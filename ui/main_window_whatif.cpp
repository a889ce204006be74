// What if? in the main window: the controller, the Edits dock, the KL plot, the context menus of the token
// strip, the heads and the terms, and Edit > Undo / Redo.
#include <QDockWidget>
#include <QLabel>
#include <QMenuBar>

#include "ui/main_window.h"
#include "ui/session/whatif_controller.h"
#include "ui/views/edits_panel.h"
#include "ui/views/head_states_view.h"
#include "ui/views/kl_view.h"
#include "ui/views/state_heatmap_view.h"
#include "ui/views/terms_view.h"
#include "ui/views/token_strip.h"
#include "ui/whatif_actions.h"

namespace maxstate::ui {

void MainWindow::buildWhatIf() {
  m_whatIf = std::make_unique<WhatIfController>(m_session, *m_controller);
  m_whatIfActions = new WhatIfActions(m_session, *m_whatIf, this);
  connect(m_whatIf.get(), &WhatIfController::status, this,
          [this](const QString& message) { m_statusLabel->setText(message); });

  m_tokens->canvas()->setMenuProvider(
      [this](QMenu& menu, int64_t position) { m_whatIfActions->fillTokenMenu(menu, position); });
  auto heads = [this](QMenu& menu, const QPoint&) { m_whatIfActions->fillHeadMenu(menu); };
  m_heatmap->plot()->setMenuExtender(heads);
  m_headStates->plot()->setMenuExtender(heads);
  auto terms = [this](QMenu& menu, const QPoint&) { m_whatIfActions->fillTermMenu(menu); };
  m_terms->linesPlot()->setMenuExtender(terms);
  m_terms->barsPlot()->setMenuExtender(terms);

  m_edits = new EditsPanel(m_session, *m_whatIf, this);
  auto* edits = new QDockWidget(tr("Edits (what if?)"), this);
  edits->setObjectName(QStringLiteral("editsDock"));
  edits->setWidget(m_edits);
  addDockWidget(Qt::LeftDockWidgetArea, edits);
  m_viewMenu->addAction(edits->toggleViewAction());
  if (auto* checkpoints = findChild<QDockWidget*>(QStringLiteral("checkpointsDock")))
    tabifyDockWidget(checkpoints, edits);
  // A new edit brings the list to the front.
  connect(&m_session, &Session::editsChanged, edits, [this, edits] {
    if (!m_session.edits().empty()) edits->raise();
  });

  m_kl = new KlView(m_session, this);
  auto* kl = new QDockWidget(tr("What-if effect (KL per position)"), this);
  kl->setObjectName(QStringLiteral("klDock"));
  kl->setWidget(m_kl);
  addDockWidget(Qt::BottomDockWidgetArea, kl);
  m_viewMenu->addAction(kl->toggleViewAction());
  if (auto* sources = findChild<QDockWidget*>(QStringLiteral("sourcesDock"))) tabifyDockWidget(sources, kl);
  if (auto* sources = findChild<QDockWidget*>(QStringLiteral("sourcesDock"))) sources->raise();
  connect(&m_session, &Session::editsChanged, kl, [this, kl] {
    if (m_session.whatIf()) kl->raise();
  });
}

void MainWindow::buildEditMenu() {
  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  QUndoStack& undo = m_whatIf->undoStack();
  QAction* undoAction = undo.createUndoAction(this, tr("&Undo"));
  undoAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Z));
  QAction* redoAction = undo.createRedoAction(this, tr("&Redo"));
  redoAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z));
  for (QAction* a : {undoAction, redoAction}) {
    a->setShortcutContext(Qt::WindowShortcut);
    edit->addAction(a);
    addAction(a);
  }
  edit->addSeparator();
  edit->addAction(tr("Remove every &edit"), this, [this] { m_whatIf->clearEdits(); });
}

}  // namespace maxstate::ui
