#include "ui/main_window.h"

#include <QLabel>

namespace maxstate::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("MaxState Explorer"));
  resize(1280, 800);
  auto* placeholder = new QLabel(tr("MaxState Explorer"), this);
  placeholder->setAlignment(Qt::AlignCenter);
  setCentralWidget(placeholder);
}

}  // namespace maxstate::ui
