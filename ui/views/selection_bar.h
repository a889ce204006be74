#pragma once
// The one layer/head selection every view follows.
#include <QWidget>

#include "ui/session/explorer_controller.h"
#include "ui/session/session.h"

class QComboBox;

namespace maxstate::ui {

class SelectionBar : public QWidget {
  Q_OBJECT
 public:
  SelectionBar(Session& session, ExplorerController& controller, QWidget* parent = nullptr);
  QComboBox* layerBox() const { return m_layer; }
  QComboBox* headBox() const { return m_head; }

 private:
  void refill();

  Session& m_session;
  ExplorerController& m_controller;
  QComboBox* m_layer;
  QComboBox* m_head;
};

}  // namespace maxstate::ui
