// maxstate-explorer: the desktop application. Everything is assembled by ui::MainWindow.
#include <QApplication>

#include <cstdlib>
#include <cstring>
#include <iostream>

#include "gui/desktop_integration.h"
#include "gui/help_text.h"
#include "maxstate/version.h"
#include "ui/main_window.h"

namespace {

bool hasDisplay() {
  const char* platform = std::getenv("QT_QPA_PLATFORM");
  if (platform && *platform) return true;  // the user chose a platform (offscreen, vnc, ...)
  const char* x = std::getenv("DISPLAY");
  const char* wl = std::getenv("WAYLAND_DISPLAY");
  return (x && *x) || (wl && *wl);
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) {
      std::cout << maxstate::gui::kHelpText;
      return 0;
    }
    if (!std::strcmp(argv[i], "--version") || !std::strcmp(argv[i], "-V")) {
      std::cout << "maxstate-explorer " << maxstate::version() << "\n";
      return 0;
    }
  }
  if (!hasDisplay()) {
    std::cerr << "maxstate-explorer: no display found (DISPLAY and WAYLAND_DISPLAY are not set).\n"
                 "  Run it inside a desktop session, or headless with QT_QPA_PLATFORM=offscreen,\n"
                 "  or use the command-line tool instead: maxstate --help\n";
    return 1;
  }
  QApplication app(argc, argv);
  QApplication::setApplicationName("MaxState Explorer");
  QApplication::setOrganizationName("MaxState");
  QApplication::setApplicationVersion(QString::fromStdString(maxstate::version()));
  maxstate::gui::integrateWithDesktop();
  maxstate::ui::MainWindow window;
  window.show();
  return QApplication::exec();
}
