// What if? in the explorer on the real core (issue 13): edits made through the very context-menu actions the
// window shows, their run computed off the GUI thread, the difference heatmap against the core's arrays,
// undo/redo, the Edits panel's checkbox, and an edit that does not fit. Screenshots: whatif-*.png.
#include <QComboBox>
#include <QListWidget>
#include <QMenu>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <map>

#include "maxstate/checkpoint.h"
#include "maxstate/error.h"
#include "maxstate/resources.h"
#include "maxstate/vocabulary.h"
#include "maxstate/whatif.h"
#include "screenshots.h"
#include "ui/data/edit_text.h"
#include "ui/export_controller.h"
#include "ui/session/core_model.h"
#include "ui/session/whatif_controller.h"
#include "ui/views/edits_panel.h"
#include "ui/views/kl_view.h"
#include "ui/views/token_picker.h"
#include "ui/whatif_actions.h"
#include "ui_test_main.h"
#include "view_checks.h"
#include "whatif_checks.h"

using namespace maxstate;
using namespace maxstate::ui;
using maxstate::test::closeNextMessageBox;
using maxstate::test::fixture;
using maxstate::test::kPatienceMs;

namespace {

QAction* actionNamed(QMenu& menu, const QString& name) {
  for (QAction* a : menu.actions())
    if (a->objectName() == name) return a;
  return nullptr;
}

// The run the core makes of `edits` on a trace of its own of the same ids: what the session must show.
WhatIf coreRun(const QString& path, const std::vector<int64_t>& ids, const std::vector<Edit>& edits) {
  static std::map<QString, std::shared_ptr<Model>> models;
  auto& model = models[path];
  if (!model) model = std::make_shared<Model>(loadModel(path.toStdString()));
  return runWhatIf(*model, model->trace(ids), edits);
}

bool sameStates(const LayerRecord& a, const LayerRecord& b) {
  if (a.state.dim(0) != b.state.dim(0)) return false;
  for (int64_t p = 0; p < a.state.dim(0); ++p)
    for (int64_t h = 0; h < a.state.dim(1); ++h)
      for (int64_t j = 0; j < a.state.dim(2); ++j)
        if (std::abs(a.state.at({p, h, j}) - b.state.at({p, h, j})) >
            1e-5f * (1 + std::abs(b.state.at({p, h, j}))))
          return false;
  return true;
}

}  // namespace

class TestWhatIf : public QObject {
  Q_OBJECT
  std::unique_ptr<MainWindow> m_window;
  int64_t m_x = 0;  // the fixture vocabulary's id of "x"

  Session& session() { return m_window->session(); }
  void waitIdle() {
    QVERIFY(m_window->work().waitIdle(kPatienceMs));
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
  }
  // Triggers the named action of the token menu at `position`, as a right-click would show it.
  void tokenAction(int64_t position, const QString& name) {
    QMenu menu;
    m_window->whatIfActions().fillTokenMenu(menu, position);
    QAction* a = actionNamed(menu, name);
    QVERIFY2(a && a->isEnabled(), qPrintable(name));
    a->trigger();
    waitIdle();
  }
  void headAction(const QString& name) {
    QMenu menu;
    m_window->whatIfActions().fillHeadMenu(menu);
    QAction* a = actionNamed(menu, name);
    QVERIFY2(a && a->isEnabled(), qPrintable(name));
    a->trigger();
    waitIdle();
  }

 private slots:
  void initTestCase() {
    QVERIFY2(QFile::exists(fixture("step100.pth")),
             "run through ctest: the fixture ui_checkpoints writes the files");
    const Vocabulary vocab = Vocabulary::load(fixture("vocab.json").toStdString());
    const auto ids = vocab.encode("x");
    QCOMPARE(ids.size(), size_t(1));
    m_x = ids.front();
  }
  void init() {
    m_window = std::make_unique<MainWindow>(std::make_shared<CoreModelLoader>());
    m_window->resize(1600, 1000);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    SessionInput input;
    input.text = test::kFixtureText;
    session().setInput(input);
    m_window->openFiles({fixture("step100.pth")});
    waitIdle();
    QVERIFY(session().trace());
    m_window->whatIfActions().setTokenPicker([this](const QString&) { return std::optional<int64_t>(m_x); });
  }
  void cleanup() { m_window.reset(); }

  void aReplaceFromTheTokenMenuShowsTheDifferenceOfTheCoresArraysAndUndoRestoresTheBase() {
    Session& s = session();
    const auto base = s.trace();
    const std::vector<int64_t> ids = base->tokens();
    // The display choice, from the panel.
    m_window->editsPanel()->displayChoice()->setCurrentIndex(static_cast<int>(WhatIfDisplay::Difference));
    QCOMPARE(s.display(), WhatIfDisplay::Difference);
    s.setHead(1);
    tokenAction(10, "whatifReplace");
    QVERIFY(s.whatIf());
    QCOMPARE(s.edits().size(), size_t(1));
    QCOMPARE(specText(s.edits()[0].edit), QStringLiteral("replace:10=%1").arg(m_x));
    QCOMPARE(s.baseTrace(), base);
    QCOMPARE(s.whatIf()->editedIds[10], m_x);
    QCOMPARE(s.whatIf()->firstAffected, int64_t(10));
    QCOMPARE(s.label(10), QStringLiteral("x"));
    // The run is the core's: the same states as the core's own run of the same edit.
    const WhatIf expected = coreRun(fixture("step100.pth"), ids, {s.edits()[0].edit});
    QVERIFY(sameStates(*s.whatIf()->edited->layer(0), *expected.edited->layer(0)));
    QCOMPARE(s.whatIf()->top1Edited, expected.top1Edited);
    QVERIFY(test::checkDifferenceHeatmap(*m_window));
    QVERIFY(test::checkKl(*m_window));
    // Before the edit nothing changed: the difference is exactly zero there, and not after.
    QCPColorMapData* data = m_window->heatmapView()->colorMap()->data();
    for (int p = 0; p < 10; ++p) QCOMPARE(data->cell(p, 0), 0.0);
    bool moved = false;
    for (int j = 0; j < data->valueSize(); ++j) moved = moved || data->cell(10, j) != 0.0;
    QVERIFY(moved);
    // Another layer: both records follow.
    m_window->controller().selectLayer(2);
    QTRY_COMPARE_WITH_TIMEOUT(s.layer(), 2, kPatienceMs);
    waitIdle();
    QVERIFY(test::checkDifferenceHeatmap(*m_window));
    m_window->controller().selectLayer(0);
    QTRY_COMPARE_WITH_TIMEOUT(s.layer(), 0, kPatienceMs);
    waitIdle();
    test::saveScreenshot(m_window.get(), "whatif-difference");

    // Edited: every view shows the edited run, as the core has it.
    m_window->editsPanel()->displayChoice()->setCurrentIndex(static_cast<int>(WhatIfDisplay::Edited));
    waitIdle();
    QCOMPARE(s.trace(), s.whatIf()->edited);
    QVERIFY(test::checkAllViews(*m_window));

    // Undo (Ctrl+Z): the base views again. (A focused text editor would take the keys for its own undo.)
    m_window->activateWindow();
    if (QWidget* focus = QApplication::focusWidget()) focus->clearFocus();
    QTest::keyClick(m_window.get(), Qt::Key_Z, Qt::ControlModifier);
    waitIdle();
    QVERIFY(!s.whatIf());
    QVERIFY(s.edits().empty());
    QCOMPARE(s.trace(), base);
    QCOMPARE(s.label(10), QString(test::kFixtureText[10]));
    QVERIFY(!m_window->heatmapView()->showsDifference());
    QVERIFY(test::checkAllViews(*m_window));
    QCOMPARE(m_window->editsPanel()->list()->count(), 0);
    // Redo (Ctrl+Shift+Z): the edit again.
    QTest::keyClick(m_window.get(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    waitIdle();
    QCOMPARE(s.edits().size(), size_t(1));
    QVERIFY(s.whatIf());
    QCOMPARE(m_window->editsPanel()->list()->count(), 1);
  }

  void exportsSayWhichRunTheyShow() {
    Session& s = session();
    s.setDisplay(WhatIfDisplay::Difference);
    tokenAction(10, "whatifReplace");
    QTemporaryDir dir;
    ExportChoice c;
    c.format = ExportFormat::Svg;
    c.begin = 0;
    c.end = s.length();
    c.path = dir.filePath("h.svg");
    QCOMPARE(m_window->exporter().exportHeatmaps(c).size(), 1);
    QFile heatmap(c.path);
    QVERIFY(heatmap.open(QIODevice::ReadOnly));
    const QString svg = QString::fromUtf8(heatmap.readAll());
    QVERIFY2(svg.contains(QStringLiteral("difference: edited minus base (replace:10=%1)").arg(m_x)),
             "the heatmap's title does not say it is the difference");
    QVERIFY(m_window->exporter().heatmapStem().endsWith("_difference"));
    // A plot of the edited run.
    s.setDisplay(WhatIfDisplay::Edited);
    c.path = dir.filePath("kl.svg");
    m_window->exporter().exportPlot(*m_window->klView()->plot(), c);
    QFile kl(c.path);
    QVERIFY(kl.open(QIODevice::ReadOnly));
    QVERIFY(QString::fromUtf8(kl.readAll()).contains(QStringLiteral("edited run (replace:10=%1)").arg(m_x)));
    QVERIFY(m_window->exporter().plotStem(*m_window->klView()->plot()).endsWith("_edited"));
  }

  void anInsertLeavesItsPositionBlankInTheDifference() {
    Session& s = session();
    s.setDisplay(WhatIfDisplay::Difference);
    tokenAction(5, "whatifInsert");
    QCOMPARE(s.length(), s.baseTrace()->length() + 1);
    QVERIFY(!s.whatIf()->baseOf[5]);
    QVERIFY(test::checkDifferenceHeatmap(*m_window));
    QVERIFY(std::isnan(m_window->heatmapView()->colorMap()->data()->cell(5, 0)));
    // Then a knock-out of a later token, in the edited run's positions: edits compose in order.
    tokenAction(20, "whatifKnockoutHead");
    QCOMPARE(s.edits().size(), size_t(2));
    QCOMPARE(specText(s.edits()[1].edit), QStringLiteral("knockout:20@%1.%2").arg(s.layer()).arg(s.head()));
    QVERIFY(test::checkDifferenceHeatmap(*m_window));
    // In the base run's display, a base position is turned into the edited run's for the next edit.
    s.setDisplay(WhatIfDisplay::Base);
    QCOMPARE(m_window->whatIf().editPosition(7), int64_t(8));
    QCOMPARE(m_window->whatIf().editPosition(3), int64_t(3));
  }

  void thePanelsCheckboxSwitchesAnEditOff() {
    Session& s = session();
    tokenAction(12, "whatifDelete");
    s.setCursor(30);
    s.setHead(2);
    headAction("whatifZeroState");
    QCOMPARE(s.edits().size(), size_t(2));
    QCOMPARE(specText(s.edits()[1].edit), QStringLiteral("zero-state:%1.2@30").arg(s.layer()));
    QListWidget* list = m_window->editsPanel()->list();
    QCOMPARE(list->count(), 2);
    QVERIFY(list->item(0)->text().contains("Delete position 12"));
    QVERIFY(list->item(0)->text().contains("delete:12"));
    // Off, from the panel: only the zero-state runs.
    list->item(0)->setCheckState(Qt::Unchecked);
    waitIdle();
    QCOMPARE(s.edits().size(), size_t(2));
    QVERIFY(!s.edits()[0].enabled);
    QVERIFY(s.edits()[1].enabled);
    QCOMPARE(s.length(), s.baseTrace()->length());  // the deletion is off
    const WhatIf expected = coreRun(fixture("step100.pth"), s.baseTrace()->tokens(), {s.edits()[1].edit});
    QVERIFY(sameStates(*s.whatIf()->edited->layer(s.layer()), *expected.edited->layer(s.layer())));
    QCOMPARE(list->item(0)->checkState(), Qt::Unchecked);
    // Head 2's state is zero from 30 on in the edited run.
    const auto record = s.whatIf()->edited->layer(s.layer());
    for (int64_t j = 0; j < record->headDim(); ++j) QCOMPARE(record->stateAt(31, 2, j), 0.0f);
    s.setCursor(25);  // before the zeroed state every view shows the edited run as the core has it
    QVERIFY(test::checkAllViews(*m_window));
    // From 30 on head 2 holds nothing (zeroed state has no source): no token is shown holding it.
    s.setCursor(35);
    QCOMPARE(record->sourceAt(35, 2, 0), int64_t(-1));
    for (int64_t t = 0; t <= 35; ++t)
      QVERIFY(std::isnan(m_window->sourcesView()->colorMap()->data()->cell(static_cast<int>(t), 2)));
    // Both off: the base run, and the list keeps both.
    list->item(1)->setCheckState(Qt::Unchecked);
    waitIdle();
    QVERIFY(!s.whatIf());
    QCOMPARE(s.trace(), s.baseTrace());
    QCOMPARE(list->count(), 2);
    // Undo switches the second one on again.
    m_window->whatIf().undoStack().undo();
    waitIdle();
    QVERIFY(s.whatIf());
    QVERIFY(s.edits()[1].enabled);
    // Remove, from the panel.
    list->setCurrentRow(0);
    m_window->editsPanel()->removeButton()->click();
    waitIdle();
    QCOMPARE(s.edits().size(), size_t(1));
    QCOMPARE(list->count(), 1);
  }

  void aTermDropFromTheTermsMenu() {
    Session& s = session();
    s.setCursor(40);
    QMenu menu;
    m_window->whatIfActions().fillTermMenu(menu);
    QAction* t3 = actionNamed(menu, "whatifDropT3");
    QVERIFY(t3);
    QVERIFY(actionNamed(menu, "whatifDropT1"));
    t3->trigger();
    waitIdle();
    QCOMPARE(specText(s.edits().back().edit),
             QStringLiteral("drop-term:%1.%2.T3@40").arg(s.layer()).arg(s.head()));
    QVERIFY(s.whatIf());
    QCOMPARE(s.whatIf()->firstAffected, int64_t(40));
    // Dropped terms are recorded as 0 from the cursor on.
    const auto record = s.whatIf()->edited->layer(s.layer());
    for (int64_t j = 0; j < record->headDim(); ++j) QCOMPARE(record->terms.at({2, 45, s.head(), j}), 0.0f);
  }

  void anEditThatDoesNotFitIsAnErrorAndTheSessionKeepsWhatItHad() {
    Session& s = session();
    tokenAction(3, "whatifDelete");
    const auto shown = s.whatIf();
    // Position 0 cannot be knocked out: the menu says so, and the core refuses it if asked anyway.
    QMenu menu;
    m_window->whatIfActions().fillTokenMenu(menu, 0);
    QVERIFY(!actionNamed(menu, "whatifKnockout")->isEnabled());
    Edit e;
    e.kind = EditKind::Knockout;
    e.position = 0;
    m_window->whatIf().addEdit(e);
    const QString message = closeNextMessageBox();
    QVERIFY2(message.contains("0"), qPrintable(message));
    QVERIFY(message.contains("keeps what it showed"));
    waitIdle();
    QCOMPARE(s.whatIf(), shown);
    QCOMPARE(s.edits().size(), size_t(1));
    QCOMPARE(m_window->editsPanel()->list()->count(), 1);
    QCOMPARE(m_window->whatIf().undoStack().count(), 1);  // the failed change is not in the history
    QCOMPARE(m_window->whatIf().requested().size(), size_t(1));
  }

  void aNewTraceStartsTheEditsOver() {
    Session& s = session();
    tokenAction(3, "whatifDelete");
    QVERIFY(s.whatIf());
    m_window->controller().retrace();
    waitIdle();
    QVERIFY(!s.whatIf());
    QVERIFY(s.edits().empty());
    QCOMPARE(m_window->whatIf().undoStack().count(), 0);
  }

  void aChineseTokenIsReplacedOnTheChineseDemo() {
    std::optional<DemoInfo> zh;
    try {
      for (const DemoInfo& d : demos())
        if (d.name == "zh") zh = d;
    } catch (const Error& e) {
      QFAIL(e.what());
    }
    QVERIFY2(zh && zh->textIds.size() > 40, "resources/demo/demo.json does not list the Chinese demo");
    Session& s = session();
    SessionInput input;
    input.kind = InputKind::Ids;
    QStringList ids;
    for (size_t i = 0; i < 40; ++i) ids << QString::number(zh->textIds[i]);
    input.text = ids.join(QStringLiteral(", "));
    s.setInput(input);
    m_window->openFiles({QString::fromStdString(zh->modelPath)});
    waitIdle();
    QCOMPARE(s.length(), int64_t(40));
    const int64_t other = zh->textIds[3];
    m_window->whatIfActions().setTokenPicker(
        [other](const QString&) { return std::optional<int64_t>(other); });
    s.setDisplay(WhatIfDisplay::Difference);
    tokenAction(8, "whatifReplace");
    tokenAction(20, "whatifDelete");
    QCOMPARE(s.length(), int64_t(39));
    QCOMPARE(s.whatIf()->editedIds[8], other);
    const Vocabulary vocab = Vocabulary::load(zh->vocabularyPath);
    QCOMPARE(s.label(8), QString::fromStdString(vocab.labels(s.whatIf()->editedIds)[8]));
    QVERIFY(test::checkDifferenceHeatmap(*m_window));
    QVERIFY(test::checkKl(*m_window));
    s.setCursor(30);
    QCoreApplication::processEvents();
    test::saveScreenshot(m_window.get(), "whatif-chinese");
  }

  void theTokenPickerSearchesTheVocabulary() {
    const int i = session().tracedCheckpoint();
    TokenPicker picker(*session().checkpoint(i).model, "pick");
    const int all = picker.shownCount();
    QCOMPARE(int64_t(all), *session().trace()->info().vocabSize);
    picker.setFilter("x");
    QVERIFY(picker.shownCount() >= 1 && picker.shownCount() < all);
    bool found = false;
    for (int r = 0; r < picker.shownCount(); ++r) found = found || picker.shownId(r) == m_x;
    QVERIFY(found);
    picker.setFilter(QString::number(m_x));  // an id
    found = false;
    for (int r = 0; r < picker.shownCount(); ++r) found = found || picker.shownId(r) == m_x;
    QVERIFY(found);
    picker.show();
    QVERIFY(QTest::qWaitForWindowExposed(&picker));
    test::saveScreenshot(&picker, "whatif-token-picker", 5);
  }
};

MAXSTATE_UI_TEST_MAIN(TestWhatIf)
#include "test_whatif.moc"
