// maxstate-explorer's command line (app/gui/arguments.h, QCommandLineParser): what it accepted before it used
// the parser, it accepts the same way.
#include <QtTest>

#include "gui/arguments.h"
#include "ui_test_main.h"

using maxstate::InputKind;
using maxstate::gui::Arguments;
using maxstate::gui::parseArguments;

namespace {
Arguments parse(const QStringList& args, bool early = false) {
  return parseArguments(QStringList{"maxstate-explorer"} + args, early);
}
}  // namespace

class TestArguments : public QObject {
  Q_OBJECT
 private slots:
  void filesAndNoInput() {
    const Arguments a = parse({"a.pth", "dir/b.pth"});
    QVERIFY(a.error.isEmpty());
    QCOMPARE(a.files, (QStringList{"a.pth", "dir/b.pth"}));
    QVERIFY(!a.input);
    QVERIFY(!a.help && !a.version && !a.startupBenchmark);
  }
  void textOrIdsChooseTheInputTheLastOneWins() {
    Arguments a = parse({"--text", "some text", "m.pth"});
    QVERIFY(a.input);
    QCOMPARE(a.input->kind, InputKind::Text);
    QCOMPARE(a.input->text, QStringLiteral("some text"));
    QCOMPARE(a.files, QStringList{"m.pth"});
    a = parse({"--ids", "1, 52, 7"});
    QCOMPARE(a.input->kind, InputKind::Ids);
    QCOMPARE(a.input->text, QStringLiteral("1, 52, 7"));
    a = parse({"--ids", "1 2", "--text", "-starts with a dash"});
    QCOMPARE(a.input->kind, InputKind::Text);
    QCOMPARE(a.input->text, QStringLiteral("-starts with a dash"));
    a = parse({"--text=x", "--startup-benchmark"});
    QCOMPARE(a.input->text, QStringLiteral("x"));
    QVERIFY(a.startupBenchmark);
  }
  void helpAndVersionShortAndLong() {
    QVERIFY(parse({"--help"}).help);
    QVERIFY(parse({"-h"}).help);
    QVERIFY(parse({"--version"}).version);
    QVERIFY(parse({"-V"}).version);
    // Before Qt takes its options out: found among them, and a Qt option is never read as letters.
    QVERIFY(parse({"-platform", "offscreen", "--help"}, true).help);
    QVERIFY(!parse({"-platformtheme", "gtk3", "x.pth"}, true).help);
    QVERIFY(!parse({"-platformtheme", "gtk3"}, true).version);
  }
  void usageErrorsSayWhat() {
    Arguments a = parse({"--frobnicate"});
    QVERIFY2(a.error.contains("frobnicate"), qPrintable(a.error));
    a = parse({"--text"});
    QVERIFY2(a.error.contains("text"), qPrintable(a.error));
  }
};

MAXSTATE_UI_TEST_MAIN(TestArguments)
#include "test_arguments.moc"
