#include "ui/session/whatif_controller.h"

#include <QUndoCommand>

#include "ui/data/edit_text.h"

namespace maxstate::ui {

// One change to the list of edits. Pushed once its run has landed (so redo() skips its first call); undo and
// redo compute the run of the list before or after it.
class EditsCommand : public QUndoCommand {
 public:
  EditsCommand(WhatIfController& c, std::vector<SessionEdit> before, std::vector<SessionEdit> after,
               const QString& text)
      : QUndoCommand(text), m_c(c), m_before(std::move(before)), m_after(std::move(after)) {}
  void undo() override { m_c.run(m_before, QObject::tr("Undo: %1").arg(text()), false); }
  void redo() override {
    if (m_first) {
      m_first = false;
      return;
    }
    m_c.run(m_after, QObject::tr("Redo: %1").arg(text()), false);
  }

 private:
  WhatIfController& m_c;
  std::vector<SessionEdit> m_before, m_after;
  bool m_first = true;
};

WhatIfController::WhatIfController(Session& session, ExplorerController& explorer, QObject* parent)
    : QObject(parent), m_session(session), m_explorer(explorer) {
  connect(&m_session, &Session::baseChanged, this, [this] {
    m_undo.clear();  // the edits were positions of the old input
    m_requested = m_session.edits();
  });
  // Idle: every change asked for has landed, failed or been cancelled; what is shown is what counts.
  connect(&m_explorer.work(), &BackgroundWork::idle, this, [this] {
    if (m_requested == m_session.edits()) return;
    m_requested = m_session.edits();
    emit editsRejected();
  });
}

void WhatIfController::addEdit(const Edit& edit) {
  std::vector<SessionEdit> edits = m_requested;
  edits.push_back({edit, true});
  run(std::move(edits), describeEdit(edit), true);
}

void WhatIfController::removeEdit(int index) {
  if (index < 0 || index >= static_cast<int>(m_requested.size())) return;
  std::vector<SessionEdit> edits = m_requested;
  const QString what = tr("Remove: %1").arg(describeEdit(edits[static_cast<size_t>(index)].edit));
  edits.erase(edits.begin() + index);
  run(std::move(edits), what, true);
}

void WhatIfController::setEnabled(int index, bool enabled) {
  if (index < 0 || index >= static_cast<int>(m_requested.size())) return;
  std::vector<SessionEdit> edits = m_requested;
  SessionEdit& e = edits[static_cast<size_t>(index)];
  if (e.enabled == enabled) return;
  e.enabled = enabled;
  run(std::move(edits), (enabled ? tr("Switch on: %1") : tr("Switch off: %1")).arg(describeEdit(e.edit)),
      true);
}

void WhatIfController::clearEdits() {
  if (!m_requested.empty()) run({}, tr("Remove every edit"), true);
}

int64_t WhatIfController::editPosition(int64_t shownPosition) const {
  const auto& w = m_session.whatIf();
  if (!w || m_session.trace() != m_session.baseTrace()) return shownPosition;
  for (size_t t = 0; t < w->baseOf.size(); ++t)
    if (w->baseOf[t] == shownPosition) return static_cast<int64_t>(t);
  return -1;
}

void WhatIfController::run(std::vector<SessionEdit> edits, const QString& what, bool record) {
  const std::shared_ptr<const Trace> base = m_session.baseTrace();
  const int index = m_session.tracedCheckpoint();
  if (!base || index < 0) {
    emit m_explorer.errorOccurred(tr("What if?"), tr("There is no trace to edit: trace an input first."));
    emit editsRejected();
    return;
  }
  const std::shared_ptr<const ModelHandle> model = m_session.checkpoint(index).model;
  std::vector<Edit> enabled;
  for (const SessionEdit& e : edits)
    if (e.enabled) enabled.push_back(e.edit);
  const int layer = m_session.layer();
  m_requested = edits;
  m_explorer.work().enqueue(tr("What if: %1").arg(what),
                            [this, base, model, enabled, edits, layer, what,
                             record](const Progress& progress) -> BackgroundWork::Commit {
                              std::shared_ptr<const WhatIf> result;
                              std::shared_ptr<const LayerRecord> editedRecord;
                              QStringList labels;
                              if (!enabled.empty()) {
                                result =
                                    std::make_shared<const WhatIf>(model->whatIf(base, enabled, progress));
                                editedRecord = result->edited->layer(layer);
                                if (!result->editedIds.empty())
                                  for (const std::string& l : model->labels(result->editedIds))
                                    labels << QString::fromStdString(l);
                              }
                              auto baseRecord = base->layer(layer);  // kept by the base trace: usually cached
                              return [=, this] {
                                if (m_session.baseTrace() != base)
                                  return;  // traced again meanwhile: these edits are gone
                                std::vector<SessionEdit> before = m_session.edits();
                                m_session.setWhatIf(edits, result, labels, layer, editedRecord, baseRecord);
                                if (record)
                                  m_undo.push(new EditsCommand(*this, std::move(before), edits, what));
                                emit status(result ? tr("What if: %1 edit(s) on, changes from position %2")
                                                         .arg(enabled.size())
                                                         .arg(result->firstAffected)
                                                   : tr("What if: no edit on, the base run is shown"));
                              };
                            });
}

}  // namespace maxstate::ui
