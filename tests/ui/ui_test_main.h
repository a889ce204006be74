#pragma once
// main() for the UI tests: offscreen, and a HOME/XDG of their own so that tests never read or write the
// user's settings or recent files.
#include <QApplication>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <cstdlib>

namespace maxstate::test {

// How long a test waits for background work before it fails. Waits end as soon as their condition holds, so a
// generous bound costs nothing on an idle machine and keeps a loaded CI machine (20 s for a trace seen)
// green.
inline constexpr int kPatienceMs = 180000;

inline QTemporaryDir& isolatedHome() {
  static QTemporaryDir dir;
  return dir;
}

inline void isolateEnvironment() {
  const QByteArray home = isolatedHome().path().toUtf8();
  qputenv("HOME", home);
  qputenv("XDG_CONFIG_HOME", home + "/config");
  qputenv("XDG_DATA_HOME", home + "/data");
  qputenv("XDG_CACHE_HOME", home + "/cache");
  qputenv("XDG_STATE_HOME", home + "/state");
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
}

}  // namespace maxstate::test

#define MAXSTATE_UI_TEST_MAIN(TestClass)                                \
  int main(int argc, char** argv) {                                     \
    maxstate::test::isolateEnvironment();                               \
    QApplication app(argc, argv);                                       \
    QApplication::setOrganizationName(QStringLiteral("MaxStateTests")); \
    QApplication::setApplicationName(QStringLiteral(#TestClass));       \
    QStandardPaths::setTestModeEnabled(true);                           \
    TestClass test;                                                     \
    return QTest::qExec(&test, argc, argv);                             \
  }
