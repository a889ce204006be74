// The explorer on the real core: real checkpoint files (written by PyTorch, tests/ui/make_ui_checkpoints.py,
// and the bundled demo), read, recognised, traced and shown. Every view is compared with the core's own
// arrays at the cursor after moving it by key and by clicking a token; errors, heads and cancelling go
// through the real reader and model. Screenshots of the window go to build/screenshots/
// (tools/dev screenshots copies them into docs/).
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QInputDialog>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>

#include "maxstate/architecture.h"
#include "maxstate/checkpoint.h"
#include "maxstate/error.h"
#include "maxstate/resources.h"
#include "maxstate/vocabulary.h"
#include "screenshots.h"
#include "ui/session/core_model.h"
#include "ui/style/theme.h"
#include "ui/views/input_panel.h"
#include "ui_test_main.h"
#include "view_checks.h"

using namespace maxstate;
using namespace maxstate::ui;
using maxstate::test::closeNextMessageBox;
using maxstate::test::fixture;
using maxstate::test::kPatienceMs;
using maxstate::test::saveScreenshot;
const QString kText = maxstate::test::kFixtureText;

namespace {

// Answers every heads question with the next of `answers`; records the questions.
struct HeadsAnswerer {
  QStringList prompts;
  std::vector<int> answers;
  QTimer timer;
  HeadsAnswerer(std::vector<int> a) : answers(std::move(a)) {
    QObject::connect(&timer, &QTimer::timeout, [this] {
      for (QWidget* w : QApplication::topLevelWidgets())
        if (auto* dialog = qobject_cast<QInputDialog*>(w); dialog && dialog->isVisible()) {
          prompts << dialog->labelText();
          if (static_cast<size_t>(prompts.size()) <= answers.size()) {
            dialog->setIntValue(answers[static_cast<size_t>(prompts.size() - 1)]);
            dialog->accept();
          } else {
            dialog->reject();
          }
        }
    });
    timer.start(20);
  }
};

}  // namespace

class TestExplorer : public QObject {
  Q_OBJECT
  std::unique_ptr<MainWindow> m_window;

  void openAndWait(const QStringList& paths, int timeoutMs = kPatienceMs) {
    m_window->openFiles(paths);
    QVERIFY(m_window->work().waitIdle(timeoutMs));
  }
  // Everything the window shows has arrived: no work queued, the logit lens at the cursor computed, and the
  // queued replots and layout changes handled.
  void settle() {
    QVERIFY(m_window->work().waitIdle(kPatienceMs));
    Session& s = m_window->session();
    if (s.trace() && s.trace()->info().kind == ModelKind::Model)
      QTRY_VERIFY_WITH_TIMEOUT(s.lens(s.cursor()).has_value(), kPatienceMs);
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
  }
  void moveAndCheck(Qt::Key key, Qt::KeyboardModifiers modifiers, int64_t expected) {
    QTest::keyClick(m_window.get(), key, modifiers);
    QCOMPARE(m_window->session().cursor(), expected);
    QVERIFY(test::checkAllViews(*m_window));
  }

 private slots:
  void initTestCase() {
    QVERIFY2(QFile::exists(fixture("step100.pth")),
             "run through ctest: the fixture ui_checkpoints writes the files");
  }
  void init() {
    m_window = std::make_unique<MainWindow>(std::make_shared<CoreModelLoader>());
    m_window->resize(1600, 1000);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    SessionInput input;
    input.text = kText;
    m_window->session().setInput(input);
  }
  void cleanup() {
    m_window.reset();
    applyTheme(Theme::Light);
  }

  void aRealCheckpointIsTracedAndEveryViewShowsTheCoresValues() {
    openAndWait({fixture("step100.pth")});
    Session& s = m_window->session();
    QVERIFY(s.trace());
    QCOMPARE(s.trace()->info().layers, int64_t(3));
    // Tokens through the vocabulary beside the checkpoint (one character each).
    const Vocabulary vocab = Vocabulary::load(fixture("vocab.json").toStdString());
    QCOMPARE(s.trace()->tokens(), vocab.encode(kText.toStdString()));
    QCOMPARE(s.length(), int64_t(kText.size()));
    QCOMPARE(s.label(1), QStringLiteral("h"));
    QVERIFY(test::checkAllViews(*m_window));

    // By key: Right, Shift+Right (16), Left, End, Home.
    s.setCursor(0);
    m_window->activateWindow();
    moveAndCheck(Qt::Key_Right, Qt::NoModifier, 1);
    moveAndCheck(Qt::Key_Right, Qt::ShiftModifier, 17);
    moveAndCheck(Qt::Key_Left, Qt::NoModifier, 16);
    moveAndCheck(Qt::Key_End, Qt::NoModifier, s.length() - 1);
    moveAndCheck(Qt::Key_Home, Qt::NoModifier, 0);

    // By clicking a token in the strip.
    auto* canvas = m_window->tokenStrip()->canvas();
    QTest::mouseClick(canvas, Qt::LeftButton, Qt::NoModifier, canvas->tokenRect(23).center());
    QCOMPARE(s.cursor(), int64_t(23));
    QVERIFY(test::checkAllViews(*m_window));

    // Another layer and head: every view follows the one selection.
    QTest::keyClick(m_window.get(), Qt::Key_Down, Qt::ControlModifier);
    QTest::keyClick(m_window.get(), Qt::Key_Down, Qt::ControlModifier);
    QTest::keyClick(m_window.get(), Qt::Key_Down);
    QTRY_COMPARE_WITH_TIMEOUT(s.layer(), 2,
                              kPatienceMs);  // a layer not computed yet is computed off the GUI thread
    QCOMPARE(s.head(), 1);
    QVERIFY(test::checkAllViews(*m_window));
    moveAndCheck(Qt::Key_Right, Qt::NoModifier, 24);
  }

  void aNewLayerIsComputedOffTheGuiThread() {
    openAndWait({fixture("step100.pth")});
    Session& s = m_window->session();
    const auto cached = s.trace()->cachedLayers();
    QVERIFY(std::find(cached.begin(), cached.end(), 2) == cached.end());
    QSignalSpy changed(&s, &Session::layerChanged);
    m_window->controller().selectLayer(2);
    QCOMPARE(s.layer(), 0);  // still showing layer 0 while layer 2 is computed
    QVERIFY(m_window->statusLabel()->text().contains("Computing layer 2"));
    QTRY_COMPARE_WITH_TIMEOUT(s.layer(), 2, kPatienceMs);
    QCOMPARE(changed.count(), 1);
    QVERIFY(test::checkAllViews(*m_window));
    m_window->controller().selectLayer(0);  // cached: at once
    QCOMPARE(s.layer(), 0);
  }

  void appendingRunsTheModelStepByStep() {
    openAndWait({fixture("step100.pth")});
    Session& s = m_window->session();
    const int64_t before = s.length();
    m_window->inputPanel()->appendEdit()->setText(" more words");
    m_window->inputPanel()->append();
    QVERIFY(m_window->work().waitIdle(kPatienceMs));
    QCOMPARE(s.length(), before + 11);
    s.setCursor(before + 4);
    QVERIFY(test::checkAllViews(*m_window));
  }

  void successiveCheckpointsShowTheirAlphasSideBySide() {
    openAndWait({fixture("step100.pth"), fixture("step200.pth")});
    Session& s = m_window->session();
    QCOMPARE(s.checkpointCount(), 2);
    QVERIFY(test::checkAlphas(*m_window));
    // And against the weights as the core reads them, independently of the explorer.
    for (int c = 0; c < 2; ++c) {
      const ModelWeights w = loadModel(s.checkpoint(c).path.toStdString());
      for (int l = 0; l < 3; ++l) {
        const auto& layer = w.layers[static_cast<size_t>(l)];
        QCOMPARE(m_window->alphasView()->plottedValue(AlphaKind::Alpha1, c, l),
                 double(layer.attention.alpha1));
        QCOMPARE(m_window->alphasView()->plottedValue(AlphaKind::Alpha3, c, l),
                 double(layer.attention.alpha3));
        QCOMPARE(m_window->alphasView()->plottedValue(AlphaKind::Residual, c, l),
                 double(layer.residualAlpha));
        QVERIFY(
            std::isnan(m_window->alphasView()->plottedValue(AlphaKind::Alpha4, c, l)));  // OpenASH has none
      }
    }
    QVERIFY(m_window->alphasView()->plottedValue(AlphaKind::Alpha2, 0, 1) !=
            m_window->alphasView()->plottedValue(AlphaKind::Alpha2, 1, 1));
  }

  void aSeedLayerAsksForHeadsOnceAndTheSideFileRemembersThem() {
    QTemporaryDir dir;
    const QString path = dir.filePath("seed_layer.pt");
    QVERIFY(QFile::copy(fixture("seed_layer.pt"), path));
    {
      HeadsAnswerer answers({5, 3});  // 5 does not divide 24: asked again, saying why
      openAndWait({path});
      QCOMPARE(answers.prompts.size(), 2);
      QVERIFY2(answers.prompts[0].contains("does not say how many heads"), qPrintable(answers.prompts[0]));
      QVERIFY2(answers.prompts[1].contains("do not divide the hidden size 24"),
               qPrintable(answers.prompts[1]));
    }
    QCOMPARE(readHeadsSideFile(path.toStdString()), std::optional<int64_t>(3));
    Session& s = m_window->session();
    QCOMPARE(s.headCount(), 3);
    QCOMPARE(s.trace()->info().kind, ModelKind::Layer);
    QCOMPARE(s.length(), int64_t(64));
    s.setCursor(40);
    QVERIFY(test::checkAllViews(*m_window));
    QVERIFY(m_window->alphasView()->plottedValue(AlphaKind::Alpha4, 0, 0) ==
            double(loadModel(path.toStdString()).layers[0].attention.alpha4));

    // A second window opens it without asking.
    HeadsAnswerer none({});
    m_window = std::make_unique<MainWindow>(std::make_shared<CoreModelLoader>());
    openAndWait({path});
    QCOMPARE(none.prompts.size(), 0);
    QCOMPARE(m_window->session().headCount(), 3);
  }

  void aBadFileShowsTheReadersErrorAndKeepsTheTrace() {
    openAndWait({fixture("step100.pth")});
    const auto before = m_window->session().trace();
    QTemporaryDir dir;
    const QString bad = dir.filePath("truncated.pth");
    {
      QFile in(fixture("step100.pth"));
      QVERIFY(in.open(QIODevice::ReadOnly));
      QFile out(bad);
      QVERIFY(out.open(QIODevice::WriteOnly));
      out.write(in.read(in.size() / 2));
    }
    QString expected;
    try {
      readCheckpoint(bad.toStdString());
    } catch (const Error& e) {
      expected = QString::fromStdString(e.what());
    }
    QVERIFY(!expected.isEmpty());
    m_window->openFiles({bad});
    const QString text = closeNextMessageBox();
    QVERIFY2(text.contains(expected), qPrintable(text));
    QVERIFY(m_window->work().waitIdle(kPatienceMs));
    QCOMPARE(m_window->session().checkpointCount(), 1);
    QCOMPARE(m_window->session().trace(), before);
    QVERIFY(test::checkAllViews(*m_window));
  }

  void aLongTraceIsCancelledAndThePreviousTraceStays() {
    openAndWait({fixture("long_model.pth")});
    const auto before = m_window->session().trace();
    QVERIFY(before);
    QSignalSpy progress(&m_window->work(), &BackgroundWork::progress);
    QSignalSpy cancelled(&m_window->work(), &BackgroundWork::cancelled);
    SessionInput longInput;
    longInput.text = kText.repeated(400);  // ~28000 tokens through a d=256, 4-layer model
    m_window->controller().traceInput(longInput);
    // Generous waits: they end as soon as the condition holds, and a loaded CI machine is slow to start.
    QTRY_VERIFY_WITH_TIMEOUT(progress.count() >= 2 && m_window->cancelButton()->isVisible(), kPatienceMs);
    QTest::mouseClick(m_window->cancelButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(cancelled.count(), 1, kPatienceMs);
    QVERIFY(m_window->work().waitIdle(kPatienceMs));
    QCOMPARE(m_window->session().trace(), before);
    QVERIFY(m_window->statusLabel()->text().contains("cancelled"));
    QVERIFY(test::checkAllViews(*m_window));
  }

  void theDemoStartsTracedAndReadyToScrub() {
    DemoSetup demo;
    try {
      demo.modelPath = QString::fromStdString(demoModelPath());
      demo.text = QString::fromStdString(demoText());
    } catch (const Error& e) {
      QFAIL(qPrintable(QStringLiteral("the bundled demo cannot be found: %1").arg(e.what())));
    }
    m_window->setDemo(demo);
    m_window->openDemo();
    QVERIFY(m_window->work().waitIdle(kPatienceMs));
    Session& s = m_window->session();
    QVERIFY(s.trace());
    QCOMPARE(s.checkpoint(0).path, QFileInfo(demo.modelPath).absoluteFilePath());
    QVERIFY(s.length() > 16);
    QVERIFY(test::checkAllViews(*m_window));
    s.setCursor(0);
    m_window->activateWindow();
    moveAndCheck(Qt::Key_Right, Qt::ShiftModifier, 16);
    auto* canvas = m_window->tokenStrip()->canvas();
    QTest::mouseClick(canvas, Qt::LeftButton, Qt::NoModifier, canvas->tokenRect(9).center());
    QCOMPARE(s.cursor(), int64_t(9));
    QVERIFY(test::checkAllViews(*m_window));
  }

  void screenshots() {
    // The demo when it is there, otherwise the test checkpoints; two training checkpoints for the alphas.
    QStringList paths;
    try {
      for (const DemoCheckpoint& c : demoCheckpoints())
        if (c.variant == "openash") paths << QString::fromStdString(c.path);
      SessionInput input;
      input.text = QString::fromStdString(demoText()).left(400);
      m_window->session().setInput(input);
    } catch (const Error&) {
      paths = QStringList{fixture("step100.pth"), fixture("step200.pth")};
    }
    openAndWait(paths);
    Session& s = m_window->session();
    m_window->controller().selectLayer(1);
    QTRY_COMPARE_WITH_TIMEOUT(s.layer(), 1, kPatienceMs);
    s.setHead(2);
    s.setCursor(s.length() * 2 / 3);
    settle();
    saveScreenshot(m_window.get(), "explorer-light");
    applyTheme(Theme::Dark);
    QTRY_VERIFY_WITH_TIMEOUT(isDark(m_window->palette()), kPatienceMs);
    settle();
    saveScreenshot(m_window.get(), "explorer-dark");
    applyTheme(Theme::Light);
    QTRY_VERIFY_WITH_TIMEOUT(!isDark(m_window->palette()), kPatienceMs);
    // The alphas of the training checkpoints, in front of the checkpoint list.
    auto* alphas = m_window->findChild<QDockWidget*>("alphasDock");
    QVERIFY(alphas);
    alphas->raise();
    settle();
    saveScreenshot(m_window.get(), "explorer-alphas");
  }
};

MAXSTATE_UI_TEST_MAIN(TestExplorer)
#include "test_explorer.moc"
