#pragma once
// The open checkpoints: which one is current (traced and shown), what each is, and which changed on disk.
#include <QListWidget>

#include "ui/session/explorer_controller.h"
#include "ui/session/session.h"

namespace maxstate::ui {

// One line describing a checkpoint, e.g. "openash model, 4 layers x 4 heads, d=64, V=512, float16".
QString describeModel(const ModelInfo& info);

class CheckpointList : public QListWidget {
  Q_OBJECT
 public:
  CheckpointList(Session& session, ExplorerController& controller, QWidget* parent = nullptr);

 private:
  void refill();
  void showMenu(const QPoint& at);

  Session& m_session;
  ExplorerController& m_controller;
};

}  // namespace maxstate::ui
