// The Chinese demo in the real window: File > Open demo offers it beside the English one, the token strip
// shows its Chinese labels (the vocabulary's labels for the ids OpenASH's encoder made of the demo text,
// proxy groups as their character), the characters are drawn rather than boxes, and the font check speaks up
// exactly when some vocabulary character has no font. Writes the screenshot chinese-demo.png
// (build/screenshots).
#include <QAction>
#include <QDir>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPainter>
#include <QtTest>
#include <fstream>

#include "maxstate/error.h"
#include "maxstate/resources.h"
#include "maxstate/vocabulary.h"
#include "screenshots.h"
#include "ui/main_window.h"
#include "ui/session/core_model.h"
#include "ui/style/font_coverage.h"
#include "ui/views/token_strip.h"
#include "ui/views/token_text.h"
#include "ui_test_main.h"
#include "view_checks.h"

using namespace maxstate;
using namespace maxstate::ui;
using maxstate::test::kPatienceMs;

namespace {

QString fileText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return QString::fromStdString({std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()});
}

// `text` drawn in `font` on white.
QImage render(const QString& text, const QFont& font) {
  QImage image(64, 64, QImage::Format_RGB32);
  image.fill(Qt::white);
  QPainter p(&image);
  p.setFont(font);
  p.setPen(Qt::black);
  p.drawText(image.rect(), Qt::AlignCenter, text);
  return image;
}

QAction* menuAction(QMenu* menu, const QString& title) {
  for (QAction* a : menu->actions())
    if (a->text() == title) return a;
  return nullptr;
}

}  // namespace

class TestChineseDemo : public QObject {
  Q_OBJECT
  std::unique_ptr<MainWindow> m_window;
  std::vector<DemoInfo> m_demos;

 private slots:
  void initTestCase() {
    try {
      m_demos = demos();
    } catch (const Error& e) {
      QFAIL(e.what());
    }
    QVERIFY2(m_demos.size() >= 2 && m_demos[1].name == "zh",
             "resources/demo/demo.json does not list the Chinese demo (tools/train_demo.py --demo zh)");
  }

  void theMenuOpensTheChineseDemoAndTheStripShowsItsCharacters() {
    m_window = std::make_unique<MainWindow>(std::make_shared<CoreModelLoader>());
    m_window->resize(1400, 900);
    QList<DemoSetup> setups;
    for (const DemoInfo& d : m_demos)
      setups.push_back({QString::fromStdString(d.modelPath), fileText(d.textPath),
                        QString::fromStdString(d.title), std::nullopt});
    m_window->setDemos(setups);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));

    // File > Open demo lists both demos, the English (default) one first.
    QMenu* demoMenu = nullptr;
    for (QMenu* m : m_window->menuBar()->findChildren<QMenu*>())
      if (m->title() == QStringLiteral("Open &demo")) demoMenu = m;
    QVERIFY2(demoMenu, "File has no Open demo submenu");
    QCOMPARE(demoMenu->actions().size(), static_cast<qsizetype>(m_demos.size()));
    QCOMPARE(demoMenu->actions()[0]->text(), QString::fromStdString(m_demos[0].title));
    const DemoInfo& zh = m_demos[1];
    QAction* open = menuAction(demoMenu, QString::fromStdString(zh.title));
    QVERIFY(open);
    open->trigger();
    QVERIFY(m_window->work().waitIdle(kPatienceMs));
    Session& s = m_window->session();
    QVERIFY(s.trace());
    QCOMPARE(s.checkpoint(s.tracedCheckpoint()).path, QString::fromStdString(zh.modelPath));
    QCOMPARE(s.input().text, fileText(zh.textPath));

    // The font check: a non-modal note exactly when some character of the vocabulary has no font.
    const Vocabulary vocab = Vocabulary::load(zh.vocabularyPath);
    QStringList texts;
    for (const std::string& c : vocab.proxiedCharacters()) texts << QString::fromStdString(c);
    for (int64_t id = 0; id < vocab.size(); ++id) texts << QString::fromStdString(vocab.tokenLabel(id));
    const QString expected = fontCoverageMessage(fontCoverage(texts));
    auto* note = m_window->findChild<QMessageBox*>(QStringLiteral("fontWarning"));
    if (expected.isEmpty()) {
      QVERIFY(!note);
    } else {
      QVERIFY(note && note->isVisible() && !note->isModal());
      QCOMPARE(note->text(), expected);
      qInfo().noquote() << "font check says:" << expected;
      note->close();
    }

    // The ids OpenASH's encoder makes of the demo text: the strip shows the vocabulary's labels for them.
    SessionInput ids;
    ids.kind = InputKind::Ids;
    QStringList list;
    for (int64_t id : zh.textIds) list << QString::number(id);
    ids.text = list.join(QStringLiteral(", "));
    m_window->controller().traceInput(ids);
    QVERIFY(m_window->work().waitIdle(kPatienceMs));
    QCOMPARE(s.trace()->tokens(), zh.textIds);
    const std::vector<std::string> labels = vocab.labels(zh.textIds);
    const QStringList& shown = m_window->tokenStrip()->canvas()->texts();
    QCOMPARE(shown.size(), static_cast<qsizetype>(labels.size()));
    for (size_t i = 0; i < labels.size(); ++i)
      QCOMPARE(shown[static_cast<qsizetype>(i)], visibleToken(QString::fromStdString(labels[i]), 16));
    QVERIFY(shown.contains(QStringLiteral("李白")));  // a jieba word that is one token
    QVERIFY(shown.contains(QStringLiteral("床")));
    int groups = 0;  // proxy groups show their character on their first id
    const std::vector<TokenInfo> info = vocab.describe(zh.textIds);
    for (size_t i = 0; i < info.size(); ++i)
      if (info[i].kind == TokenKind::ProxyStart) {
        ++groups;
        QCOMPARE(shown[static_cast<qsizetype>(i)], QString::fromStdString(info[i].text));
      }
    QVERIFY(groups > 0);
    QVERIFY(shown.contains(QStringLiteral("蛾")));  // a rare character, coded as a 2-id group

    // Drawn, not boxes: each Chinese character in the strip's font looks different from a character no font
    // has.
    const QFont font = m_window->tokenStrip()->canvas()->font();
    const QImage box = render(QString(QChar(0xE000)), font);
    for (const QString& c : {QStringLiteral("李"), QStringLiteral("床"), QStringLiteral("霜")})
      QVERIFY2(render(c, font) != box,
               qPrintable(c + QStringLiteral(" is drawn as an empty box: install a CJK font")));

    s.setCursor(24);
    QVERIFY(test::checkAllViews(*m_window));  // every view follows the cursor before the picture
    test::saveScreenshot(m_window.get(), QStringLiteral("chinese-demo"));
  }
};

MAXSTATE_UI_TEST_MAIN(TestChineseDemo)
#include "test_chinese_demo.moc"
