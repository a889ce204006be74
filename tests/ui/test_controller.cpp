// The explorer window on the core's test double: everything that needs control over timing and failure --
// errors keep what was shown, heads are asked once and remembered, a long trace is cancelled, several
// checkpoints, appending, reloading a changed file, settings -- plus the views against the double's arrays.
#include <QDropEvent>
#include <QFile>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QtTest>

#include "fake_model.h"
#include "screenshots.h"
#include "ui/style/theme.h"
#include "ui/views/alphas_view.h"
#include "ui/views/empty_page.h"
#include "ui/views/input_panel.h"
#include "ui/views/predictions_view.h"
#include "ui/views/state_heatmap_view.h"
#include "ui/views/themed_plot.h"
#include "ui_test_main.h"
#include "view_checks.h"

using namespace maxstate;
using namespace maxstate::ui;
using maxstate::test::closeNextMessageBox;
using maxstate::test::FakeLoader;
using maxstate::test::FakeSpec;
using maxstate::test::kPatienceMs;

namespace {

const QString kModelA = QStringLiteral("/fake/model_a.pth");
const QString kModelB = QStringLiteral("/fake/model_b.pth");
const QString kSeed = QStringLiteral("/fake/seed_layer.pth");
const QString kBad = QStringLiteral("/fake/broken.pth");
const QString kSlow = QStringLiteral("/fake/slow.pth");
const QString kText = QStringLiteral("the running max never forgets");

std::shared_ptr<FakeLoader> makeLoader() {
  auto loader = std::make_shared<FakeLoader>();
  FakeSpec a;
  loader->specs[kModelA.toStdString()] = a;
  FakeSpec b = a;
  b.alphaShift = 0.2f;
  loader->specs[kModelB.toStdString()] = b;
  FakeSpec seed;
  seed.kind = ModelKind::Layer;
  seed.variant = Variant::Seed;
  seed.heads = 2;
  seed.headDim = 8;  // hidden 16
  loader->specs[kSeed.toStdString()] = seed;
  loader->needsHeads.insert(kSeed.toStdString());
  FakeSpec slow = a;
  slow.sleepPerTokenMs = 2;
  loader->specs[kSlow.toStdString()] = slow;
  return loader;
}

}  // namespace

class TestController : public QObject {
  Q_OBJECT
  std::shared_ptr<FakeLoader> m_loader;
  std::unique_ptr<MainWindow> m_window;

  void openAndWait(const QString& path) {
    m_window->openFiles({path});
    QVERIFY(m_window->work().waitIdle(kPatienceMs));
  }

 private slots:
  void init() {
    m_loader = makeLoader();
    m_window = std::make_unique<MainWindow>(m_loader);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    SessionInput input;
    input.text = kText;
    m_window->session().setInput(input);
  }
  void cleanup() { m_window.reset(); }

  void openTracesAndEveryViewShowsTheTrace() {
    openAndWait(kModelA);
    Session& s = m_window->session();
    QCOMPARE(s.checkpointCount(), 1);
    QVERIFY(s.trace());
    QCOMPARE(s.length(), int64_t(kText.size()));
    QCOMPARE(s.label(4), QStringLiteral("r"));
    QVERIFY(test::checkAllViews(*m_window));
  }

  void keysMoveTheCursorAndTheViewsFollow() {
    openAndWait(kModelA);
    Session& s = m_window->session();
    s.setCursor(0);
    m_window->activateWindow();
    QTest::keyClick(m_window.get(), Qt::Key_Right);
    QCOMPARE(s.cursor(), int64_t(1));
    QTest::keyClick(m_window.get(), Qt::Key_Right, Qt::ShiftModifier);
    QCOMPARE(s.cursor(), int64_t(17));
    QVERIFY(test::checkAllViews(*m_window));
    QTest::keyClick(m_window.get(), Qt::Key_Left);
    QCOMPARE(s.cursor(), int64_t(16));
    QTest::keyClick(m_window.get(), Qt::Key_End);
    QCOMPARE(s.cursor(), s.length() - 1);
    QVERIFY(test::checkAllViews(*m_window));
    QTest::keyClick(m_window.get(), Qt::Key_Right);  // stays at the end
    QCOMPARE(s.cursor(), s.length() - 1);
    QTest::keyClick(m_window.get(), Qt::Key_Home);
    QCOMPARE(s.cursor(), int64_t(0));
    QTest::keyClick(m_window.get(), Qt::Key_Down);  // next head
    QCOMPARE(s.head(), 1);
    QTest::keyClick(m_window.get(), Qt::Key_Down, Qt::ControlModifier);  // next layer
    QTRY_COMPARE_WITH_TIMEOUT(s.layer(), 1, kPatienceMs);
    s.setCursor(9);
    QVERIFY(test::checkAllViews(*m_window));
  }

  void clickingATokenMovesTheCursor() {
    openAndWait(kModelA);
    auto* canvas = m_window->tokenStrip()->canvas();
    const QRect r = canvas->tokenRect(6);
    QVERIFY(r.isValid());
    QTest::mouseClick(canvas, Qt::LeftButton, Qt::NoModifier, r.center());
    QCOMPARE(m_window->session().cursor(), int64_t(6));
    QVERIFY(test::checkAllViews(*m_window));
  }

  void aBadFileShowsAnErrorAndKeepsTheTrace() {
    openAndWait(kModelA);
    const auto before = m_window->session().trace();
    m_window->openFiles({kBad});
    const QString text = closeNextMessageBox();
    QVERIFY2(text.contains("not a PyTorch checkpoint"), qPrintable(text));
    QVERIFY(text.contains("keeps what it showed"));
    QVERIFY(m_window->work().waitIdle(kPatienceMs));
    QCOMPARE(m_window->session().checkpointCount(), 1);
    QCOMPARE(m_window->session().trace(), before);
    QVERIFY(test::checkAllViews(*m_window));
  }

  void badInputShowsAnErrorAndKeepsTheTrace() {
    openAndWait(kModelA);
    const auto before = m_window->session().trace();
    m_window->inputPanel()->kindBox()->setCurrentIndex(3);  // token ids (InputPanel::kChoices)
    m_window->inputPanel()->textEdit()->setPlainText("3, 4, five");
    m_window->inputPanel()->trace();
    const QString text = closeNextMessageBox();
    QVERIFY2(text.contains("\"five\" (item 3) is not a token id"), qPrintable(text));
    QCOMPARE(m_window->session().trace(), before);
  }

  void headsAreAskedOnceAndRemembered() {
    // The real dialog: answer 3 (does not divide 16), then 4.
    QStringList prompts;
    int answer = 0;
    const int answers[] = {3, 4};
    QTimer timer;
    connect(&timer, &QTimer::timeout, this, [&] {
      for (QWidget* w : QApplication::topLevelWidgets())
        if (auto* dialog = qobject_cast<QInputDialog*>(w); dialog && dialog->isVisible() && answer < 2) {
          prompts << dialog->labelText();
          dialog->setIntValue(answers[answer++]);
          dialog->accept();
        }
    });
    timer.start(20);
    openAndWait(kSeed);
    QCOMPARE(answer, 2);
    QVERIFY(prompts[0].contains("heads cannot be inferred"));
    QVERIFY2(prompts[1].contains("not divisible by 3 heads"), qPrintable(prompts[1]));
    QCOMPARE(m_loader->remembered.at(kSeed.toStdString()), int64_t(4));
    Session& s = m_window->session();
    QCOMPARE(s.checkpointCount(), 1);
    QCOMPARE(s.headCount(), 4);
    QCOMPARE(s.length(), int64_t(64));  // a bare layer: the random input's length
    QVERIFY(test::checkAllViews(*m_window));
  }

  void declinedHeadsOpenNothing() {
    m_window->controller().setAskHeads([](const QString&, const QString&) { return std::nullopt; });
    openAndWait(kSeed);
    QCOMPARE(m_window->session().checkpointCount(), 0);
    QVERIFY(m_window->statusLabel()->text().contains("needs the number of heads"));
  }

  void aLongTraceCanBeCancelledAndThePreviousOneStays() {
    openAndWait(kModelA);
    const auto before = m_window->session().trace();
    m_window->openFiles({kSlow});
    QVERIFY(m_window->work().waitIdle(kPatienceMs));  // opening and tracing the short input
    SessionInput longInput;
    longInput.text = QString(3000, QLatin1Char('a'));
    QSignalSpy progress(&m_window->work(), &BackgroundWork::progress);
    QSignalSpy cancelled(&m_window->work(), &BackgroundWork::cancelled);
    const auto shortTrace = m_window->session().trace();
    m_window->controller().traceInput(longInput);
    // The window keeps handling events while the worker runs: progress arrives, the Cancel button shows.
    QTRY_VERIFY_WITH_TIMEOUT(progress.count() >= 2, kPatienceMs);
    QVERIFY(m_window->cancelButton()->isVisible());
    QVERIFY(m_window->progressBar()->isVisible());
    QTest::mouseClick(m_window->cancelButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(cancelled.count(), 1, kPatienceMs);
    QVERIFY(m_window->work().waitIdle(kPatienceMs));
    QCOMPARE(m_window->session().trace(), shortTrace);
    QVERIFY(m_window->statusLabel()->text().contains("cancelled"));
    QVERIFY(!m_window->cancelButton()->isVisible());
    QVERIFY(before != shortTrace);
  }

  void severalCheckpointsShowTheirAlphasSideBySide() {
    openAndWait(kModelA);
    openAndWait(kModelB);
    Session& s = m_window->session();
    QCOMPARE(s.checkpointCount(), 2);
    QCOMPARE(s.currentCheckpoint(), 1);
    QCOMPARE(s.tracedCheckpoint(), 1);
    QVERIFY(test::checkAlphas(*m_window));
    QCOMPARE(m_window->alphasView()->rowCount(), 4);  // alpha1..3 and residual: no alpha4 in OpenASH
    QVERIFY(m_window->alphasView()->plottedValue(AlphaKind::Alpha1, 1, 0) !=
            m_window->alphasView()->plottedValue(AlphaKind::Alpha1, 0, 0));
    m_window->controller().selectCheckpoint(0);
    QVERIFY(m_window->work().waitIdle(kPatienceMs));
    QCOMPARE(s.tracedCheckpoint(), 0);
    m_window->controller().close(1);
    QCOMPARE(s.checkpointCount(), 1);
    QVERIFY(test::checkAlphas(*m_window));
  }

  void appendingExtendsTheTrace() {
    openAndWait(kModelA);
    Session& s = m_window->session();
    s.setCursor(s.length() - 1);
    const int64_t before = s.length();
    m_window->inputPanel()->appendEdit()->setText("xyz");
    m_window->inputPanel()->append();
    QVERIFY(m_window->work().waitIdle(kPatienceMs));
    QCOMPARE(s.length(), before + 3);
    QCOMPARE(s.label(before + 2), QStringLiteral("z"));
    QCOMPARE(s.cursor(), s.length() - 1);  // a cursor at the end follows
    QCOMPARE(s.input().text, kText + "xyz");
    QVERIFY(test::checkAllViews(*m_window));
  }

  void aChangedFileIsMarkedAndReloaded() {
    QTemporaryDir dir;
    const QString path = dir.filePath("growing.pth");
    {
      QFile f(path);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write("v1");
    }
    m_loader->specs[path.toStdString()] = FakeSpec{};
    openAndWait(path);
    const int opensBefore = m_loader->opens;
    const QDateTime firstTime = QFileInfo(path).lastModified();
    {
      QFile f(path);
      QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
      f.write("v2, longer");
      QVERIFY(f.flush());
      // A later modification time than the first write, as a training script's next save has (set, not waited
      // for: a file system may keep times in whole seconds).
      QVERIFY(f.setFileTime(firstTime.addSecs(2), QFileDevice::FileModificationTime));
    }
    QTRY_VERIFY_WITH_TIMEOUT(m_window->session().checkpoint(0).changedOnDisk, kPatienceMs);
    m_window->controller().reloadChanged();
    QVERIFY(m_window->work().waitIdle(kPatienceMs));
    QCOMPARE(m_loader->opens.load(), opensBefore + 1);
    QVERIFY(!m_window->session().checkpoint(0).changedOnDisk);
    QCOMPARE(m_window->session().checkpointCount(), 1);
  }

  // Every plot of the window with the text it shows instead of its axes (empty: the plot is drawn).
  QStringList placeholders() const {
    QStringList out;
    for (ThemedPlot* plot : m_window->findChildren<ThemedPlot*>()) out << plot->placeholder();
    return out;
  }

  void theEmptyWindowSaysWhatToDoAndOffersTheDemo() {
    // A failed open from the command line: a dialog, and the window stays empty but says what to do.
    m_window->openFiles({kBad});
    QVERIFY(closeNextMessageBox().contains("not a PyTorch checkpoint"));
    QVERIFY(m_window->work().waitIdle(kPatienceMs));
    QVERIFY(m_window->showsEmptyPage());
    const QString hint = QStringLiteral("Open a checkpoint (Ctrl+O), drop one here, or open the demo.");
    QCOMPARE(m_window->emptyPage()->message()->text(), hint);
    // No empty axes, colour scales or cursor boxes: every plot (heatmap, state at the cursor, sources, both
    // term plots, predictions, alphas) shows the hint instead.
    const QStringList before = placeholders();
    QCOMPARE(before.size(), 8);  // and the what-if KL plot
    for (const QString& p : before) QCOMPARE(p, hint);
    QVERIFY(!m_window->predictionsView()->lensTable()->isVisible());
    // No demo to open: no button for it.
    QVERIFY(!m_window->emptyPage()->demoButton()->isVisibleTo(m_window->emptyPage()));
    QVERIFY(m_window->emptyPage()->openButton()->isVisibleTo(m_window->emptyPage()));
    // With a demo: its button opens and traces it, and the views come back.
    QTemporaryDir dir;
    const QString demoPath = dir.filePath("demo.pth");
    {
      QFile f(demoPath);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write("demo");
    }
    m_loader->specs[demoPath.toStdString()] = FakeSpec{};
    m_window->setDemo({demoPath, kText, {}, std::nullopt});
    QVERIFY(m_window->emptyPage()->demoButton()->isVisibleTo(m_window->emptyPage()));
    m_window->resize(1000, 640);
    QCoreApplication::processEvents();
    // The picture for the docs; an empty window has few colours, but more than a blank one.
    test::saveScreenshot(m_window.get(), "explorer-empty", 8);
    QTest::mouseClick(m_window->emptyPage()->demoButton(), Qt::LeftButton);
    QVERIFY(m_window->work().waitIdle(kPatienceMs));
    QVERIFY(m_window->session().trace());
    QVERIFY(!m_window->showsEmptyPage());
    for (ThemedPlot* plot : m_window->findChildren<ThemedPlot*>())
      if (plot->objectName() != QLatin1String("klPlot"))  // the what-if plot keeps its hint until an edit
        QVERIFY2(plot->placeholder().isEmpty(), qPrintable(plot->placeholder()));
    QVERIFY(m_window->predictionsView()->lensTable()->isVisible());
    QVERIFY(test::checkAllViews(*m_window));

    // All checkpoints closed: empty again.
    m_window->controller().close(0);
    QCOMPARE(m_window->session().checkpointCount(), 0);
    QVERIFY(!m_window->session().trace());
    QVERIFY(m_window->showsEmptyPage());
    for (const QString& p : placeholders()) QCOMPARE(p, hint);
  }

  void aCheckpointWithoutTextSaysToTypeOne() {
    SessionInput none;
    m_window->session().setInput(none);
    openAndWait(kModelA);
    QVERIFY(!m_window->session().trace());
    QVERIFY(m_window->showsEmptyPage());
    QVERIFY(m_window->emptyPage()->message()->text().contains("type a text in the Input panel"));
    // The alphas need no trace: they show.
    QVERIFY(m_window->alphasView()->plot()->placeholder().isEmpty());
    QVERIFY(m_window->heatmapView()->plot()->placeholder().contains("type a text"));
  }

  void droppedFilesOpen() {
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(kModelA)});
    // As a drag from a file manager arrives: enter, move, drop.
    QDragEnterEvent enter(QPoint(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window.get(), &enter);
    QVERIFY(enter.isAccepted());
    QDragMoveEvent move(QPoint(52, 52), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window.get(), &move);
    QDropEvent drop(QPointF(52, 52), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window.get(), &drop);
    QVERIFY(m_window->work().waitIdle(kPatienceMs));
    QCOMPARE(m_window->session().checkpointCount(), 1);
  }

  void playStepsToTheEnd() {
    openAndWait(kModelA);
    Session& s = m_window->session();
    s.setCursor(0);
    m_window->cursorBar()->setSpeed(200);
    QTest::keyClick(m_window.get(), Qt::Key_Space);
    QVERIFY(m_window->cursorBar()->playing());
    QTRY_COMPARE_WITH_TIMEOUT(s.cursor(), s.length() - 1, kPatienceMs);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->cursorBar()->playing(), kPatienceMs);
  }

  void settingsRememberRecentFilesFolderSpeedAndTheme() {
    openAndWait(kModelA);
    m_window->cursorBar()->setSpeed(33);
    applyTheme(Theme::Dark);
    QTRY_VERIFY_WITH_TIMEOUT(isDark(m_window->palette()), kPatienceMs);
    m_window->close();
    QSettings settings;
    QVERIFY(settings.fileName().startsWith(test::isolatedHome().path()));  // never the user's own settings
    QCOMPARE(settings.value("recentFiles").toStringList().value(0), kModelA);
    QCOMPARE(settings.value("lastFolder").toString(), QStringLiteral("/fake"));
    QCOMPARE(settings.value("playSpeed").toInt(), 33);
    QVERIFY(!settings.value("window/state").toByteArray().isEmpty());
    applyTheme(Theme::Light);
    // A new window comes back with the speed.
    MainWindow again(m_loader);
    QCOMPARE(again.cursorBar()->speed(), 33);
  }
};

MAXSTATE_UI_TEST_MAIN(TestController)
#include "test_controller.moc"
