#pragma once
// Comparing two open checkpoints on the traced input (SPEC section 7, issue 14): how far each parameter
// tensor moved and where the two models behave differently. The work runs through the explorer's one
// BackgroundWork (progress, cancel, like traces); its result lands in the Session as a what-if whose base run
// is A's and whose edited run is B's, so that every view can show A, B or B minus A.
#include <QObject>
#include <QString>

#include "ui/session/explorer_controller.h"
#include "ui/session/session.h"

namespace maxstate::ui {

class CompareController : public QObject {
  Q_OBJECT
 public:
  CompareController(Session& session, ExplorerController& explorer, QObject* parent = nullptr);

  // Compares checkpoint `a` (the reference, A) with `b` (B) on the session's input. Problems (the same
  // checkpoint twice, no input, two architectures) come out as the explorer's errorOccurred.
  void compare(int a, int b);
  // Back to normal: A's trace alone.
  void stop();

 signals:
  void status(const QString& message);

 private:
  Session& m_session;
  ExplorerController& m_explorer;
};

// Largest relative change first; tensors whose A is all zeros (no relative change) last, in key order.
void sortByRelativeChange(std::vector<ParameterChange>& changes);

}  // namespace maxstate::ui
