#pragma once
#include <QMainWindow>

namespace maxstate::ui {

// Assembles the views and menus; holds no model maths.
class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
};

}  // namespace maxstate::ui
