#include "cli/offscreen_app.h"

#include <iostream>
#include <string>

namespace maxstate::cli {
namespace {

std::string g_command;

}  // namespace

std::unique_ptr<QApplication> offscreenApplication(const char* command) {
  if (QApplication::instance()) return nullptr;
  g_command = command;
  qputenv("QT_QPA_PLATFORM", "offscreen");  // never touch a display, even when one exists
  qInstallMessageHandler([](QtMsgType type, const QMessageLogContext&, const QString& message) {
    if (type == QtCriticalMsg || type == QtFatalMsg)
      std::cerr << "maxstate " << g_command << ": " << message.toStdString() << "\n";
  });
  static int qtArgc = 1;
  static char qtName[] = "maxstate";
  static char* qtArgv[] = {qtName, nullptr};
  return std::make_unique<QApplication>(qtArgc, qtArgv);
}

}  // namespace maxstate::cli
