// Comparing checkpoints in the explorer on the real core (issue 14): a folder of one training run opened (and
// dropped) in training order with its steps, the alphas drawn as lines over training (plotted values equal
// the alphas the core reads), a comparison started from the Checkpoints list whose difference heatmap, KL
// plot and parameter table equal the core's arrays, its exports, and Esc back to normal.
// Screenshots: compare-*.png.
#include <QComboBox>
#include <QDockWidget>
#include <QDropEvent>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMimeData>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QToolTip>
#include <QtTest>
#include <cmath>
#include <limits>
#include <map>

#include "maxstate/architecture.h"
#include "maxstate/checkpoint_series.h"
#include "maxstate/compare.h"
#include "screenshots.h"
#include "ui/export_controller.h"
#include "ui/session/compare_controller.h"
#include "ui/session/core_model.h"
#include "ui/views/alphas_view.h"
#include "ui/views/checkpoint_list.h"
#include "ui/views/compare_panel.h"
#include "ui/views/kl_view.h"
#include "ui/views/sources_view.h"
#include "ui/views/state_heatmap_view.h"
#include "ui_test_main.h"
#include "view_checks.h"

using namespace maxstate;
using namespace maxstate::ui;
using maxstate::test::closeNextMessageBox;
using maxstate::test::fixture;
using maxstate::test::kPatienceMs;

namespace {

const QStringList kTrainingOrder = {"step100.pth", "ckpt_latest.pt", "pretrain_32_300.pth", "final.pth"};

QString seriesFile(const QString& name) { return fixture("series/" + name); }

QAction* actionNamed(QMenu& menu, const QString& name) {
  for (QAction* a : menu.actions())
    if (a->objectName() == name) return a;
  return nullptr;
}

std::optional<float> coreAlpha(const ModelWeights& w, int layer, AlphaKind kind) {
  const DecoderLayerWeights& l = w.layers[static_cast<size_t>(layer)];
  switch (kind) {
    case AlphaKind::Alpha1:
      return l.attention.alpha1;
    case AlphaKind::Alpha2:
      return l.attention.alpha2;
    case AlphaKind::Alpha3:
      return l.attention.alpha3;
    case AlphaKind::Alpha4:
      return l.attention.variant == Variant::Seed ? std::optional<float>(l.attention.alpha4) : std::nullopt;
    case AlphaKind::Residual:
      return w.info.kind == ModelKind::Model ? std::optional<float>(l.residualAlpha) : std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

class TestCompare : public QObject {
  Q_OBJECT
  std::unique_ptr<MainWindow> m_window;

  Session& session() { return m_window->session(); }
  void waitIdle() {
    QVERIFY(m_window->work().waitIdle(kPatienceMs));
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
  }
  // The folder opened as a drop on the window brings it (what File > Open folder does too).
  void dropSeries() {
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(fixture("series"))});
    // As a real drag does: enter (Qt delivers a drop only to the widget the drag entered), then drop.
    QDragEnterEvent enter(QPoint(200, 200), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window.get(), &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(200, 200), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window.get(), &drop);
    QVERIFY(drop.isAccepted());
    // The folder job enqueues the loads, then the last one is traced: wait until all of it is done.
    waitIdle();
    QVERIFY2(session().checkpointCount() == 4, qPrintable(m_window->statusLabel()->text()));
    QTRY_VERIFY_WITH_TIMEOUT(session().trace() != nullptr, kPatienceMs);
    waitIdle();
  }

 private slots:
  void initTestCase() {
    QVERIFY2(QFile::exists(seriesFile("step100.pth")),
             "run through ctest: the fixture ui_checkpoints writes the files");
  }
  void init() {
    m_window = std::make_unique<MainWindow>(std::make_shared<CoreModelLoader>());
    m_window->resize(1600, 1000);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    SessionInput input;
    input.text = test::kFixtureText;
    session().setInput(input);
  }
  void cleanup() { m_window.reset(); }

  void aDroppedFolderOpensEveryCheckpointInTrainingOrderWithItsStep() {
    dropSeries();
    if (QTest::currentTestFailed()) return;
    Session& s = session();
    // The core's order of the folder, and the one this fixture was written in.
    std::vector<SeriesEntry> expected;
    for (const std::string& f : checkpointFilesIn(fixture("series").toStdString()))
      expected.push_back({f, readTrainingProgress(f)});
    sortByTrainingProgress(expected);
    QCOMPARE(static_cast<int>(expected.size()), 4);
    const std::vector<std::optional<int64_t>> steps = {100, 200, 300, std::nullopt};
    for (int i = 0; i < 4; ++i) {
      QCOMPARE(QFileInfo(s.checkpoint(i).path).fileName(), kTrainingOrder[i]);
      QCOMPARE(s.checkpoint(i).path,
               QFileInfo(QString::fromStdString(expected[size_t(i)].path)).absoluteFilePath());
      QCOMPARE(s.checkpoint(i).progress.step.value_or(-1), steps[size_t(i)].value_or(-1));
      QCOMPARE(s.checkpoint(i).progress.step.value_or(-1), expected[size_t(i)].progress.step.value_or(-1));
    }
    QVERIFY(s.checkpoint(1).progress.epoch.has_value());
    QCOMPARE(*s.checkpoint(1).progress.epoch, int64_t(0));  // from the resume file's entries
    // The list shows them in that order with their steps; the last one is current and traced.
    QListWidget* list = m_window->checkpointList();
    QCOMPARE(list->count(), 4);
    QVERIFY2(list->item(0)->text().contains("step100.pth  ·  step 100"), qPrintable(list->item(0)->text()));
    QVERIFY2(list->item(1)->text().contains("epoch 0, step 200"), qPrintable(list->item(1)->text()));
    QVERIFY(!list->item(3)->text().contains("step"));
    QCOMPARE(s.currentCheckpoint(), 3);
    QCOMPARE(s.tracedCheckpoint(), 3);
    // A folder with no checkpoint says so.
    QTemporaryDir empty;
    m_window->openFolder(empty.path());
    const QString message = closeNextMessageBox();
    QVERIFY2(message.contains("holds no checkpoint file"), qPrintable(message));
    QCOMPARE(s.checkpointCount(), 4);
  }

  void theAlphasAreLinesOverTrainingStepEqualToTheCoresAlphas() {
    dropSeries();
    if (QTest::currentTestFailed()) return;
    Session& s = session();
    AlphasView* view = m_window->alphasView();
    QVERIFY(view->showsLines());
    QVERIFY(view->xIsStep());
    QCOMPARE(view->rowCount(), 4);  // alpha1..alpha3 and the residual alpha (openash: no alpha4)
    int compared = 0;
    for (int c = 0; c < 4; ++c) {
      const ModelWeights w = loadModel(s.checkpoint(c).path.toStdString());
      for (int l = 0; l < static_cast<int>(w.layers.size()); ++l)
        for (int k = 0; k < kAlphaKinds; ++k) {
          const auto kind = static_cast<AlphaKind>(k);
          const std::optional<float> core = coreAlpha(w, l, kind);
          const double shown = view->plottedValue(kind, c, l);
          if (core) {
            QCOMPARE(shown, static_cast<double>(*core));
            ++compared;
          } else {
            QVERIFY(std::isnan(shown));
          }
        }
    }
    QCOMPARE(compared, 4 * 3 * 4);  // checkpoints x layers x alphas present
    // x: the step; the checkpoint with none comes after the others.
    QCOMPARE(view->plottedX(0), 100.0);
    QCOMPARE(view->plottedX(1), 200.0);
    QCOMPARE(view->plottedX(2), 300.0);
    QVERIFY(view->plottedX(3) > 300.0);
    // The alphas moved between saves: the lines are not flat.
    QVERIFY(view->plottedValue(AlphaKind::Alpha1, 0, 0) != view->plottedValue(AlphaKind::Alpha1, 1, 0));

    // Clicking a point traces that checkpoint.
    m_window->findChild<QDockWidget*>("alphasDock")->raise();
    QTest::qWait(50);
    view->plot()->replot();
    const QPointF at = view->pointPixel(AlphaKind::Alpha2, 1, 1);
    QVERIFY(at.x() >= 0);
    // Hovering it shows its checkpoint, step and value.
    QTest::mouseMove(view->plot(), at.toPoint());
    QTRY_VERIFY_WITH_TIMEOUT(QToolTip::isVisible(), 5000);
    QVERIFY2(QToolTip::text().contains("ckpt_latest.pt (epoch 0, step 200)") &&
                 QToolTip::text().contains(QStringLiteral("layer 1: alpha2 = %1")
                                               .arg(view->plottedValue(AlphaKind::Alpha2, 1, 1), 0, 'g', 6)),
             qPrintable(QToolTip::text()));
    QTest::mouseClick(view->plot(), Qt::LeftButton, Qt::NoModifier, at.toPoint());
    QTRY_COMPARE_WITH_TIMEOUT(s.currentCheckpoint(), 1, kPatienceMs);
    waitIdle();
    QCOMPARE(s.tracedCheckpoint(), 1);
    view->plot()->replot();
    test::saveScreenshot(view, "compare-alpha-lines");
    test::saveScreenshot(m_window.get(), "compare-alpha-lines-window");

    // Two checkpoints left: bars again.
    m_window->controller().close(3);
    m_window->controller().close(2);
    waitIdle();
    QVERIFY(!view->showsLines());
    QVERIFY(test::checkAlphas(*m_window));
  }

  void comparingShowsTheCoresDifferenceAndParameterChanges() {
    dropSeries();
    if (QTest::currentTestFailed()) return;
    Session& s = session();
    m_window->controller().selectCheckpoint(0);  // A, the reference
    waitIdle();
    s.setHead(2);
    {
      QMenu menu;
      m_window->checkpointList()->fillMenu(menu, 1);  // B: right-click on the second one
      QAction* compare = actionNamed(menu, "compareWithSelected");
      QVERIFY(compare && compare->isEnabled());
      QVERIFY2(compare->text().contains("A = step100.pth, B = ckpt_latest.pt"), qPrintable(compare->text()));
      compare->trigger();
    }
    waitIdle();
    QVERIFY(s.comparing());
    QCOMPARE(QFileInfo(s.comparison()->pathA).fileName(), QStringLiteral("step100.pth"));
    QCOMPARE(QFileInfo(s.comparison()->pathB).fileName(), QStringLiteral("ckpt_latest.pt"));
    QCOMPARE(s.display(), WhatIfDisplay::Difference);
    QVERIFY(m_window->heatmapView()->showsDifference());
    QVERIFY(m_window->comparePanel()->header()->text().contains("A (reference): step100.pth (step 100)"));
    QVERIFY(m_window->checkpointList()->item(0)->text().contains("[A, reference]"));
    QVERIFY(m_window->checkpointList()->item(1)->text().contains("[B]"));

    // The core's own comparison of the same ids, made independently of the explorer.
    const std::vector<int64_t> ids = s.baseTrace()->tokens();
    const Model a(loadModel(seriesFile("step100.pth").toStdString()));
    const Model b(loadModel(seriesFile("ckpt_latest.pt").toStdString()));
    const Comparison core = compareRuns(a, b, ids, FloatArray{});
    for (int layer : {0, 2}) {
      if (layer != s.layer()) {
        m_window->controller().selectLayer(layer);
        QTRY_COMPARE_WITH_TIMEOUT(s.layer(), layer, kPatienceMs);
        waitIdle();
      }
      const FloatArray diff = stateDifference(*core.a->layer(layer), *core.b->layer(layer));
      QCPColorMapData* data = m_window->heatmapView()->colorMap()->data();
      QCOMPARE(data->keySize(), static_cast<int>(diff.dim(0)));
      QCOMPARE(data->valueSize(), static_cast<int>(diff.dim(2)));
      int nonzero = 0;
      for (int64_t p = 0; p < diff.dim(0); ++p)
        for (int64_t j = 0; j < diff.dim(2); ++j) {
          const float expected = diff.at({p, s.head(), j});
          const double shown = data->cell(static_cast<int>(p), static_cast<int>(j));
          if (static_cast<float>(shown) != expected)
            QFAIL(qPrintable(QStringLiteral("layer %1 position %2 channel %3: shown %4, core %5")
                                 .arg(layer)
                                 .arg(p)
                                 .arg(j)
                                 .arg(shown)
                                 .arg(expected)));
          nonzero += expected != 0.0f;
        }
      QVERIFY(nonzero > 0);
      const QCPRange range = m_window->heatmapView()->colorMap()->dataRange();
      QCOMPARE(range.lower, -range.upper);  // diverging around zero
      // The layer statistics the panel shows are the core's.
      QCOMPARE(s.comparison()->layers[size_t(layer)].stateRelDiff, core.layers[size_t(layer)].stateRelDiff);
      QCOMPARE(s.comparison()->layers[size_t(layer)].sourceAgree, core.layers[size_t(layer)].sourceAgree);
    }
    // KL per position and the top-1 disagreements.
    auto kl = m_window->klView()->klGraph()->data();
    QCOMPARE(kl->size(), static_cast<int>(core.kl.size()));
    int differ = 0;
    for (size_t t = 0; t < core.kl.size(); ++t) {
      QCOMPARE(kl->at(static_cast<int>(t))->value, core.kl[t]);
      differ += core.top1A[t] != core.top1B[t];
    }
    QCOMPARE(m_window->klView()->top1Graph()->data()->size(), differ);
    QCOMPARE(s.comparison()->top1Agree, core.top1Agree);
    QVERIFY(m_window->sourcesView()->colorMap() != nullptr);

    // The parameter table: every tensor, the core's relative change, largest first.
    const std::vector<ParameterChange> changes = compareParameters(
        seriesFile("step100.pth").toStdString(), seriesFile("ckpt_latest.pt").toStdString());
    std::map<QString, std::optional<double>> byName;
    for (const ParameterChange& c : changes) byName[QString::fromStdString(c.name)] = c.relChange;
    QTableWidget* table = m_window->comparePanel()->parameterTable();
    QCOMPARE(table->rowCount(), static_cast<int>(changes.size()));
    double previous = std::numeric_limits<double>::infinity();
    for (int r = 0; r < table->rowCount(); ++r) {
      const QString name = table->item(r, 0)->text();
      QVERIFY2(byName.count(name), qPrintable(name));
      const double shown = table->item(r, 2)->data(Qt::UserRole).toDouble();
      QVERIFY(byName[name].has_value());
      QCOMPARE(shown, *byName[name]);
      QVERIFY(shown <= previous);
      previous = shown;
    }
    // Of the weight matrices, layer 1's moved most (the fixture made them so); the scalar alphas, drawn anew
    // at each save, move more still.
    int firstWeight = 0;
    while (firstWeight < table->rowCount() && !table->item(firstWeight, 0)->text().endsWith(".weight"))
      ++firstWeight;
    QVERIFY(firstWeight < table->rowCount());
    QVERIFY2(table->item(firstWeight, 0)->text().contains("layers.1."),
             qPrintable(table->item(firstWeight, 0)->text()));
    m_window->findChild<QDockWidget*>("compareDock")->raise();
    QTest::qWait(50);
    test::saveScreenshot(m_window.get(), "compare-difference");

    // Exports of the difference say so, in the title and the file name.
    QTemporaryDir dir;
    ExportChoice c;
    c.format = ExportFormat::Svg;
    c.begin = 0;
    c.end = s.length();
    c.path = dir.filePath("h.svg");
    QCOMPARE(m_window->exporter().exportHeatmaps(c).size(), 1);
    QFile heatmap(c.path);
    QVERIFY(heatmap.open(QIODevice::ReadOnly));
    QVERIFY2(QString::fromUtf8(heatmap.readAll()).contains("difference B minus A"),
             "the exported heatmap's title does not say it is the difference");
    QVERIFY2(m_window->exporter().heatmapStem().endsWith("_compare_ckpt_latest_minus_A"),
             qPrintable(m_window->exporter().heatmapStem()));
    QVERIFY(m_window->exporter().plotStem(*m_window->klView()->plot()).contains("compare"));
    QString error;
    QVERIFY2(m_window->comparePanel()->saveParameters(dir.filePath("p.csv"), &error), qPrintable(error));
    QFile csv(dir.filePath("p.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(csv.readAll()).count('\n'), static_cast<int>(changes.size()) + 2);

    // A and B from the panel's selector.
    m_window->comparePanel()->displayBox()->setCurrentIndex(static_cast<int>(WhatIfDisplay::Base));
    QCOMPARE(s.trace(), s.baseTrace());
    QVERIFY(m_window->heatmapView()->title().contains("A (step100.pth)"));
    m_window->comparePanel()->displayBox()->setCurrentIndex(static_cast<int>(WhatIfDisplay::Edited));
    QCOMPARE(s.trace(), s.whatIf()->edited);
    QVERIFY(test::checkAllViews(*m_window));  // B's run, as its own views

    // Esc: back to normal, A's trace alone.
    const auto traceA = s.baseTrace();
    m_window->activateWindow();
    if (QWidget* focus = QApplication::focusWidget()) focus->clearFocus();
    QTest::keyClick(m_window.get(), Qt::Key_Escape);
    QVERIFY(!s.comparing());
    QCOMPARE(s.trace(), traceA);
    QVERIFY(!m_window->heatmapView()->showsDifference());
    QCOMPARE(m_window->comparePanel()->parameterTable()->rowCount(), 0);
    QVERIFY(test::checkAllViews(*m_window));
  }

  void checkpointsOfTwoArchitecturesAreNotCompared() {
    m_window->openFiles({fixture("step100.pth"), fixture("long_model.pth")});
    waitIdle();
    Session& s = session();
    QCOMPARE(s.checkpointCount(), 2);
    m_window->controller().selectCheckpoint(0);
    waitIdle();
    m_window->compare().compare(0, 1);
    const QString message = closeNextMessageBox();
    QVERIFY2(!message.isEmpty(), "no message for two architectures");
    waitIdle();
    QVERIFY(!s.comparing());
    QVERIFY(s.trace());
  }
};

MAXSTATE_UI_TEST_MAIN(TestCompare)
#include "test_compare.moc"
