#pragma once
// What if? in the explorer (SPEC section 5): the list of edits on the traced input, every change to it
// undoable. Whenever the enabled edits change, their run is computed off the GUI thread through the
// explorer's one BackgroundWork (progress, cancel); it lands in the Session only if it succeeded, so an edit
// that does not fit (Error(Usage)) becomes the usual error dialog and the session keeps what it had.
#include <QObject>
#include <QUndoStack>
#include <vector>

#include "ui/session/explorer_controller.h"
#include "ui/session/session.h"

namespace maxstate::ui {

class WhatIfController : public QObject {
  Q_OBJECT
 public:
  WhatIfController(Session& session, ExplorerController& explorer, QObject* parent = nullptr);

  // Each change computes the new run and, once it is there, becomes one step of the undo history.
  void addEdit(const Edit& edit);
  void removeEdit(int index);
  void setEnabled(int index, bool enabled);
  void clearEdits();
  QUndoStack& undoStack() { return m_undo; }

  // The edits the next change starts from: those asked for last (the session's once the work is done).
  const std::vector<SessionEdit>& requested() const { return m_requested; }
  // A position of the run on display as a position of the sequence the next edit applies to (the edited
  // run, whose positions every new edit uses); -1 for a base position an edit deleted.
  int64_t editPosition(int64_t shownPosition) const;

 signals:
  // A change was not applied (it failed or was cancelled): panels show the session's list again.
  void editsRejected();
  void status(const QString& message);

 private:
  friend class EditsCommand;
  // Computes the run of `edits`; `record`: add the change to the undo history once it succeeded.
  void run(std::vector<SessionEdit> edits, const QString& what, bool record);

  Session& m_session;
  ExplorerController& m_explorer;
  QUndoStack m_undo;
  std::vector<SessionEdit> m_requested;
};

}  // namespace maxstate::ui
