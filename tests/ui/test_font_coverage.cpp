// The font check: which characters of a vocabulary no installed font draws, and the message that names the
// package to install. U+E000 (private use) is drawn by no font; Latin letters always are; a Chinese character
// is drawn exactly when a family declaring a CJK writing system is installed (tools/dev installs one).
#include <QFontDatabase>
#include <QtTest>

#include "ui/style/font_coverage.h"
#include "ui_test_main.h"

using namespace maxstate::ui;

namespace {

bool cjkFontInstalled() { return !QFontDatabase::families(QFontDatabase::SimplifiedChinese).isEmpty(); }

}  // namespace

class TestFontCoverage : public QObject {
  Q_OBJECT
 private slots:
  void findsTheCharactersNoFontDraws() {
    const QStringList labels = {QStringLiteral("state"), QStringLiteral("李白"), QString(QChar(0xE000)),
                                QStringLiteral("a b\n"), QStringLiteral("␣"),    QStringLiteral("白")};
    const FontCoverage c = fontCoverage(labels);
    // s t a e 李 白 U+E000 b ␣: spaces and control characters are not looked at, repeats count once.
    QCOMPARE(c.checked, 9);
    QVERIFY(c.missing.contains(char32_t(0xE000)));
    QVERIFY(!c.missing.contains(char32_t('s')));
    QCOMPARE(c.cjkFontInstalled, cjkFontInstalled());  // known because something (U+E000) is missing
    if (cjkFontInstalled()) {
      QCOMPARE(c.missing, QList<char32_t>{char32_t(0xE000)});
      QCOMPARE(c.missingHan, 0);
    } else {
      QVERIFY(c.missing.contains(char32_t(0x674E)));  // 李
      QVERIFY(c.missing.contains(char32_t(0x767D)));  // 白
      QCOMPARE(c.missingHan, 2);
    }
    QVERIFY(fontCoverage({QStringLiteral("plain text")}).missing.isEmpty());
    QCOMPARE(fontCoverage({}).checked, 0);
  }

  void theMessageSaysWhatIsMissingAndWhatToInstall() {
    QVERIFY(fontCoverageMessage(FontCoverage{120, {}, 0, false}).isEmpty());
    const QString pua = fontCoverageMessage(FontCoverage{120, {char32_t(0xE000)}, 0, true});
    QVERIFY2(pua.contains(QStringLiteral("U+E000")) && pua.contains(QStringLiteral("120")), qPrintable(pua));
    QVERIFY2(!pua.contains(QStringLiteral("fonts-noto-cjk")), qPrintable(pua));  // no CJK font would help
    // No CJK font at all: either package helps.
    const QString han =
        fontCoverageMessage(FontCoverage{500, {char32_t(0x4E2D), char32_t(0x6587)}, 2, false});
    QVERIFY2(han.contains(QStringLiteral("中 (U+4E2D)")) && han.contains(QStringLiteral("文 (U+6587)")),
             qPrintable(han));
    QVERIFY2(han.contains(QStringLiteral("no CJK font")) && han.contains(QStringLiteral("fonts-noto-cjk")) &&
                 han.contains(QStringLiteral("fonts-wqy-microhei")),
             qPrintable(han));
    // A small CJK font that lacks rare characters (CJK extension A): the complete one helps.
    const QString rare = fontCoverageMessage(FontCoverage{28000, {char32_t(0x3400)}, 1, true});
    QVERIFY2(rare.contains(QStringLiteral("rare")) &&
                 rare.contains(QStringLiteral("sudo apt install fonts-noto-cjk")),
             qPrintable(rare));
    QVERIFY2(!rare.contains(QStringLiteral("no CJK font")), qPrintable(rare));
  }
};

MAXSTATE_UI_TEST_MAIN(TestFontCoverage)
#include "test_font_coverage.moc"
