// maxstate-explorer: the desktop application. Everything is assembled by ui::MainWindow.
//   maxstate-explorer [--text STR | --ids LIST] [CHECKPOINT...]
// opens the checkpoints, or the bundled demo model when none is given, on the demo text or the given input
#include <QApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>

#include "gui/arguments.h"
#include "gui/desktop_integration.h"
#include "gui/help_text.h"
#include "maxstate/resources.h"
#include "maxstate/version.h"
#include "ui/app_settings.h"
#include "ui/main_window.h"
#include "ui/session/core_model.h"
#include "ui/style/theme.h"

namespace {

bool hasDisplay() {
  const char* platform = std::getenv("QT_QPA_PLATFORM");
  if (platform && *platform) return true;  // the user chose a platform (offscreen, vnc, ...)
  const char* x = std::getenv("DISPLAY");
  const char* wl = std::getenv("WAYLAND_DISPLAY");
  return (x && *x) || (wl && *wl);
}

// The demo model and its text; an empty path when no demo is installed (the window then says so).
maxstate::ui::DemoSetup findDemo() {
  maxstate::ui::DemoSetup demo;
  try {
    demo.modelPath = QString::fromStdString(maxstate::demoModelPath());
    demo.text = QString::fromStdString(maxstate::demoText());
  } catch (const std::exception& e) {
    std::cerr << "maxstate-explorer: " << e.what() << "\n";
  }
  return demo;
}

// Every bundled demo, the default first; just the default one when the others cannot be listed.
QList<maxstate::ui::DemoSetup> findDemos() {
  QList<maxstate::ui::DemoSetup> list;
  try {
    for (const maxstate::DemoInfo& d : maxstate::demos()) {
      std::ifstream in(d.textPath, std::ios::binary);
      const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
      list.push_back(
          {QString::fromStdString(d.modelPath), QString::fromStdString(text), QString::fromStdString(d.title),
           d.tokenizer.empty() ? std::nullopt : std::optional(maxstate::parseTokenizer(d.tokenizer))});
    }
  } catch (const std::exception& e) {
    std::cerr << "maxstate-explorer: " << e.what() << "\n";
    list = {findDemo()};
  }
  return list;
}

}  // namespace

int main(int argc, char** argv) {
  QElapsedTimer sinceLaunch;
  sinceLaunch.start();
  // --help and --version work without a display: looked for before QApplication needs one.
  QStringList raw;
  for (int i = 0; i < argc; ++i) raw << QString::fromLocal8Bit(argv[i]);
  const maxstate::gui::Arguments early = maxstate::gui::parseArguments(raw, true);
  if (early.help) {
    std::cout << maxstate::gui::kHelpText;
    return 0;
  }
  if (early.version) {
    std::cout << "maxstate-explorer " << maxstate::version() << "\n";
    return 0;
  }
  bool platformChosen = false;  // -platform NAME on the command line
  for (int i = 1; i < argc; ++i) platformChosen |= !std::strcmp(argv[i], "-platform");
  if (!platformChosen && !hasDisplay()) {
    std::cerr << "maxstate-explorer: no display found (DISPLAY and WAYLAND_DISPLAY are not set).\n"
                 "  Run it inside a desktop session, or headless with QT_QPA_PLATFORM=offscreen,\n"
                 "  or use the command-line tool instead: maxstate --help\n";
    return 1;
  }
  QApplication app(argc, argv);
  // Qt has taken its own options (-platform, -style, ...) out of the arguments by now.
  const maxstate::gui::Arguments args = maxstate::gui::parseArguments(QApplication::arguments());
  if (!args.error.isEmpty()) {
    std::cerr << "maxstate-explorer: " << args.error.toStdString() << " (see --help)\n";
    return 2;
  }
  const bool startupBenchmark = args.startupBenchmark;
  const QStringList& files = args.files;
  const std::optional<maxstate::ui::SessionInput>& given = args.input;
  QApplication::setApplicationName("MaxState Explorer");
  QApplication::setOrganizationName("MaxState");
  QApplication::setApplicationVersion(QString::fromStdString(maxstate::version()));
  maxstate::gui::integrateWithDesktop();
  maxstate::ui::applyTheme(maxstate::ui::themeFromName(maxstate::ui::AppSettings().theme()));

  maxstate::ui::MainWindow window(std::make_shared<maxstate::ui::CoreModelLoader>());
  const QList<maxstate::ui::DemoSetup> demos = findDemos();
  const maxstate::ui::DemoSetup demo = demos.front();
  window.setDemos(demos);
  // Checkpoints named on the command line start on the demo text too (the user can change it).
  maxstate::ui::SessionInput input;
  input.text = demo.text;
  input.tokenizer = demo.tokenizer;
  window.session().setInput(given ? *given : input);
  window.show();
  if (startupBenchmark) {
    // Ends once the first trace is on screen (after the views' queued replots have painted).
    QObject::connect(&window.session(), &maxstate::ui::Session::traceChanged, &app, [&] {
      QTimer::singleShot(0, &app, [&] {
        window.repaint();
        std::cout << "first trace shown after " << sinceLaunch.elapsed() << " ms ("
                  << window.session().length() << " tokens)\n";
        QApplication::exit(0);
      });
    });
    QObject::connect(&window, &maxstate::ui::MainWindow::errorShown, &app,
                     [](const QString&, const QString& m) {
                       std::cerr << "maxstate-explorer: " << m.toStdString() << "\n";
                       QApplication::exit(1);
                     });
  }
  if (files.isEmpty() && !given)
    window.openDemo();
  else if (files.isEmpty())
    window.openFiles({demo.modelPath});
  else
    window.openFiles(files);
  return QApplication::exec();
}
