#pragma once
// Makes the running window match its installed desktop entry (packaging/org.maxstate.Explorer.desktop): the
// desktop file name is the Wayland app id by which the shell finds the entry's name and icon, and the window
// icon serves X11 window managers and task switchers. The icon is compiled in (app/CMakeLists.txt), so a
// build-tree run shows it too.
#include <QGuiApplication>
#include <QIcon>

namespace maxstate::gui {

inline constexpr const char* kDesktopFileName = "org.maxstate.Explorer";

inline void integrateWithDesktop() {
  QGuiApplication::setDesktopFileName(kDesktopFileName);
  QGuiApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/maxstate-explorer.svg")));
}

}  // namespace maxstate::gui
