#pragma once
// main() for the UI tests: offscreen, and a HOME/XDG of their own so that tests never read or write the
// user's settings or recent files.
#include <QApplication>
#include <QElapsedTimer>
#include <QMessageBox>
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

// Closes the next message box that appears and hands back its text (empty if none came).
inline QString closeNextMessageBox(int timeoutMs = kPatienceMs) {
  QElapsedTimer timer;
  timer.start();
  while (timer.elapsed() < timeoutMs) {
    for (QWidget* w : QApplication::topLevelWidgets())
      if (auto* box = qobject_cast<QMessageBox*>(w); box && box->isVisible()) {
        const QString text = box->text();
        box->close();
        return text;
      }
    QTest::qWait(10);
  }
  return {};
}

#ifdef MAXSTATE_UI_FIXTURES_DIR
// The checkpoints PyTorch writes for the window tests on the real core (tests/ui/make_ui_checkpoints.py).
inline QString fixture(const QString& name) { return QStringLiteral(MAXSTATE_UI_FIXTURES_DIR "/") + name; }
// The text they are traced on (their vocabulary has one token per character).
inline const QString kFixtureText =
    QStringLiteral("the state only grows. it never forgets a word, and so the norm climbs.");
#endif

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
