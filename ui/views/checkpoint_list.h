#pragma once
// The open checkpoints: which one is current (traced and shown), what each is, and which changed on disk.
#include <QListWidget>
#include <QMenu>
#include <functional>

#include "ui/session/explorer_controller.h"
#include "ui/session/session.h"

namespace maxstate::ui {

// One line describing a checkpoint, e.g. "openash model, 4 layers x 4 heads, d=64, V=512, float16".
QString describeModel(const ModelInfo& info);
// Where a checkpoint lies in training, e.g. "step 500" or "epoch 2, step 123"; empty when unknown.
QString describeTrainingProgress(const TrainingProgress& progress);

class CheckpointList : public QListWidget {
  Q_OBJECT
 public:
  CheckpointList(Session& session, ExplorerController& controller, QWidget* parent = nullptr);
  // What "Compare with the selected one" does: a = the selected (current) checkpoint, b = the one clicked.
  void setCompareHandler(std::function<void(int a, int b)> compare) { m_compare = std::move(compare); }
  // The context menu of a row, for tests (the menu a right-click shows).
  void fillMenu(QMenu& menu, int row);

 private:
  void refill();
  void showMenu(const QPoint& at);

  Session& m_session;
  ExplorerController& m_controller;
  std::function<void(int, int)> m_compare;
};

}  // namespace maxstate::ui
