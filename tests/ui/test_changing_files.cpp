// The explorer on checkpoints that change or do not fit, through the real reader (issue 11): a file rewritten
// in place by a training process while the window opens and reloads it, and a checkpoint the memory limit
// (MAXSTATE_MEMORY_LIMIT) refuses. Never a crash; every failure is a dialog that says what happened; the
// window keeps what it showed.
#include <QDir>
#include <QFile>
#include <QMessageBox>
#include <QProcess>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "ui/session/core_model.h"
#include "ui_test_main.h"
#include "view_checks.h"

using namespace maxstate;
using namespace maxstate::ui;
using maxstate::test::fixture;
using maxstate::test::kPatienceMs;
const QString kText = maxstate::test::kFixtureText;

namespace {

// A training script saving its checkpoint as torch.save does -- truncate, then write -- over and over,
// alternating two versions, in small flushed pieces so that a reader often meets a half-written file.
const char* kRewriter = R"(
import os, sys, time
target, a, b = sys.argv[1:4]
versions = [open(a, 'rb').read(), open(b, 'rb').read()]
i = 0
while True:
    data = versions[i % 2]
    with open(target, 'r+b') as f:
        f.truncate(0)
        for k in range(0, len(data), 8192):
            f.write(data[k:k + 8192])
            f.flush()
            time.sleep(0.0005)
    i += 1
    if i == 1:
        print('rewriting', flush=True)
)";

// The text of a message box on screen now, closed; empty if there is none.
QString takeVisibleMessage() {
  QString text;
  for (QWidget* w : QApplication::topLevelWidgets())
    if (auto* box = qobject_cast<QMessageBox*>(w); box && box->isVisible()) {
      text = box->text();
      box->close();
    }
  return text;
}

}  // namespace

class TestChangingFiles : public QObject {
  Q_OBJECT
  std::unique_ptr<MainWindow> m_window;
  QStringList m_headsAsked;

  void openAndWait(const QString& path) {
    m_window->openFiles({path});
    QVERIFY(m_window->work().waitIdle(kPatienceMs));
  }
  // After a failed read: the dialog says what happened, and the trace shown before is still shown.
  void checkFailure(const QString& message, const std::shared_ptr<const Trace>& before) {
    QVERIFY2(message.contains("keeps what it showed"), qPrintable(message));
    QVERIFY2(message.size() > 60, qPrintable(message));  // says what was wrong, not just "error"
    QCOMPARE(m_window->session().trace(), before);
  }

 private slots:
  void initTestCase() {
    QVERIFY2(QFile::exists(fixture("step100.pth")),
             "run through ctest: the fixture ui_checkpoints writes the files");
  }
  void init() {
    m_window = std::make_unique<MainWindow>(std::make_shared<CoreModelLoader>());
    m_window->controller().setAskHeads([this](const QString&, const QString& why) {
      m_headsAsked << why;  // a whole model never needs the heads: a question would be a misread file
      return std::nullopt;
    });
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    SessionInput input;
    input.text = kText;
    m_window->session().setInput(input);
  }
  void cleanup() { m_window.reset(); }

  void aCheckpointRewrittenWhileItIsReadNeverCrashesTheWindow() {
    const QString python = QStandardPaths::findExecutable("python3");
    if (python.isEmpty()) QSKIP("python3 is needed for the writer process");
    QTemporaryDir dir;
    const QString target = dir.filePath("training.pth");
    const QString alias = dir.filePath("same-file.pth");  // a second name: opening it reads the file again
    QVERIFY(QFile::copy(fixture("step100.pth"), target));
    QVERIFY(QFile::copy(fixture("vocab.json"), dir.filePath("vocab.json")));
    QVERIFY(QFile::link(target, alias));
    openAndWait(target);
    QVERIFY(m_window->session().trace());

    QProcess writer;
    writer.start(python, {"-c", kRewriter, target, fixture("step100.pth"), fixture("step200.pth")});
    QVERIFY(writer.waitForStarted());
    auto stop = qScopeGuard([&] {
      writer.kill();
      writer.waitForFinished();
    });
    QVERIFY(writer.waitForReadyRead(kPatienceMs));

    int failures = 0, successes = 0;
    for (int i = 0; i < 60; ++i) {
      const auto before = m_window->session().trace();
      const bool reload = i % 2 == 0;
      if (reload)
        m_window->controller().reload(0);
      else
        m_window->openFiles({alias});
      QVERIFY(m_window->work().waitIdle(kPatienceMs));
      QVERIFY2(writer.state() == QProcess::Running, "the writer stopped");
      const QString message = takeVisibleMessage();
      if (!message.isEmpty()) {
        ++failures;
        checkFailure(message, before);
      } else {
        ++successes;
        QVERIFY(m_window->session().trace());
      }
      const int aliasIndex = m_window->session().indexOfPath(alias);
      if (aliasIndex >= 0) m_window->controller().close(aliasIndex);
      QVERIFY(m_window->work().waitIdle(kPatienceMs));
      QCOMPARE(m_window->session().checkpointCount(), 1);
    }
    qInfo("%d reads succeeded, %d failed with a dialog", successes, failures);
    QVERIFY2(m_headsAsked.isEmpty(), qPrintable(m_headsAsked.join('\n')));
    QVERIFY(m_window->session().trace());
    QVERIFY(test::checkAllViews(*m_window));
  }

  void aCheckpointOverTheMemoryLimitIsRefusedAndTheWindowKeepsItsTrace() {
    openAndWait(fixture("step100.pth"));
    const auto before = m_window->session().trace();
    QVERIFY(before);
    // Far less than any model needs; the core reads the limit when it loads a model.
    qputenv("MAXSTATE_MEMORY_LIMIT", "4096");
    auto unset = qScopeGuard([] { qunsetenv("MAXSTATE_MEMORY_LIMIT"); });

    m_window->openFiles({fixture("long_model.pth")});
    QVERIFY(m_window->work().waitIdle(kPatienceMs));
    QString message = takeVisibleMessage();
    QVERIFY2(!message.isEmpty(), "no dialog: the core did not refuse a model over MAXSTATE_MEMORY_LIMIT");
    checkFailure(message, before);
    QVERIFY2(message.contains("memory", Qt::CaseInsensitive), qPrintable(message));
    QCOMPARE(m_window->session().checkpointCount(), 1);

    // Reloading the one on display is refused the same way, and it stays.
    m_window->controller().reload(0);
    QVERIFY(m_window->work().waitIdle(kPatienceMs));
    message = takeVisibleMessage();
    QVERIFY2(!message.isEmpty(), "no dialog: the core did not refuse a reload over MAXSTATE_MEMORY_LIMIT");
    checkFailure(message, before);
    QVERIFY(test::checkAllViews(*m_window));
  }
};

MAXSTATE_UI_TEST_MAIN(TestChangingFiles)
#include "test_changing_files.moc"
