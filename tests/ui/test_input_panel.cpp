// Text in, as OpenASH sees it, through the real window: Chinese typed into the Input panel is traced with the
// tokeniser chosen there (OpenASH's jieba encoder or longest match), a chat edited in the panel goes through
// OpenASH's chat template, and the token strip shows the vocabulary's labels for exactly the ids the core's
// input path gives. Uses the Chinese demo (resources/demo/zh); writes the screenshot input-chinese.png.
#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QInputMethodEvent>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include "maxstate/chat.h"
#include "maxstate/error.h"
#include "maxstate/resources.h"
#include "maxstate/tokenizer.h"
#include "screenshots.h"
#include "ui/main_window.h"
#include "ui/session/core_model.h"
#include "ui/views/chat_editor.h"
#include "ui/views/input_panel.h"
#include "ui/views/token_strip.h"
#include "ui/views/token_text.h"
#include "ui_test_main.h"
#include "view_checks.h"

using namespace maxstate;
using namespace maxstate::ui;
using maxstate::test::kPatienceMs;

class TestInputPanel : public QObject {
  Q_OBJECT
  std::unique_ptr<MainWindow> m_window;
  DemoInfo m_zh;
  Vocabulary m_vocab;

  InputPanel* panel() const { return m_window->findChild<InputPanel*>(); }

  // Traces what the panel holds and checks the ids and the strip's labels.
  void traceAndCompare(const std::vector<int64_t>& expected) {
    panel()->trace();
    QVERIFY(m_window->work().waitIdle(kPatienceMs));
    const Session& s = m_window->session();
    QVERIFY(s.trace());
    QCOMPARE(s.trace()->tokens(), expected);
    const std::vector<std::string> labels = m_vocab.labels(expected);
    const QStringList& shown = m_window->tokenStrip()->canvas()->texts();
    QCOMPARE(shown.size(), static_cast<qsizetype>(labels.size()));
    for (size_t i = 0; i < labels.size(); ++i)
      QCOMPARE(shown[static_cast<qsizetype>(i)], visibleToken(QString::fromStdString(labels[i]), 16));
  }

 private slots:
  void initTestCase() {
    try {
      m_zh = demo("zh");
      m_vocab = Vocabulary::load(m_zh.vocabularyPath);
    } catch (const Error& e) {
      QFAIL(e.what());
    }
    m_window = std::make_unique<MainWindow>(std::make_shared<CoreModelLoader>());
    m_window->resize(1400, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->controller().open(QString::fromStdString(m_zh.modelPath));
    QVERIFY(m_window->work().waitIdle(kPatienceMs));
    QCOMPARE(m_window->session().checkpointCount(), 1);
    // The font check's note (non-modal; test_ui_chinese_demo checks it) is not what these tests look at.
    if (auto* note = m_window->findChild<QMessageBox*>(QStringLiteral("fontWarning"))) note->close();
  }

  void typedChineseIsTokenisedAsOpenAshDoes() {
    // Chinese is typed through an input method: each phrase arrives as a commit string (QTest::keyClicks
    // handles ASCII keys only).
    const QStringList phrases = {QStringLiteral("什么是人工智能？"), QStringLiteral("床前明月光，"),
                                 QStringLiteral("疑是地上霜。")};
    const QString text = phrases.join(QString());
    panel()->kindBox()->setCurrentIndex(0);
    panel()->textEdit()->clear();
    panel()->textEdit()->setFocus();
    for (const QString& phrase : phrases) {
      QInputMethodEvent typed;
      typed.setCommitString(phrase);
      QApplication::sendEvent(panel()->textEdit(), &typed);
    }
    QCOMPARE(panel()->textEdit()->toPlainText(), text);
    traceAndCompare(tokenize(m_vocab, text.toStdString(), Tokenizer::OpenAsh));
    QCOMPARE(m_window->session().input().tokenizer, std::optional(Tokenizer::OpenAsh));
    m_window->session().setCursor(4);
    QVERIFY(test::checkAllViews(*m_window));  // every view follows the cursor before the picture
    test::saveScreenshot(m_window.get(), QStringLiteral("input-chinese"));
  }

  void longestMatchIsTheOtherChoice() {
    const QString text = QStringLiteral("什么是人工智能？");
    panel()->kindBox()->setCurrentIndex(1);
    panel()->textEdit()->setPlainText(text);
    traceAndCompare(tokenize(m_vocab, text.toStdString(), Tokenizer::Longest));
    QCOMPARE(m_window->session().input().tokenizer, std::optional(Tokenizer::Longest));
  }

  void aChatGoesThroughTheTemplate() {
    panel()->kindBox()->setCurrentIndex(2);
    ChatEditor* chat = panel()->chatEditor();
    QVERIFY(chat->isVisible());
    QVERIFY(chat->setJson(QStringLiteral(
        R"([{"role": "system", "content": "你是诗人。"}, {"role": "assistant", "content": "好。", "reasoning_content": "想一想"}])")));
    chat->addMessage(QStringLiteral("user"), QStringLiteral("请写一首关于月亮的诗。"));
    QCOMPARE(chat->table()->rowCount(), 3);
    const std::vector<ChatMessage> messages = parseChat(chat->toJson().toStdString(), "chat");
    QCOMPARE(messages.size(), size_t{3});
    QCOMPARE(messages[1].reasoning, std::string("想一想"));  // fields the table does not show are kept
    traceAndCompare(encodeChat(m_vocab, messages, Tokenizer::OpenAsh));
    QCOMPARE(m_window->session().input().kind, InputKind::Chat);
  }

  void idsAreTakenAsTheyAre() {
    panel()->kindBox()->setCurrentIndex(3);
    panel()->textEdit()->setPlainText(QStringLiteral("1, 7 12"));
    traceAndCompare({1, 7, 12});
  }

  void aTextFileBecomesTheInput() {
    panel()->kindBox()->setCurrentIndex(0);
    panel()->trace();  // the panel's choice (OpenASH's tokeniser) becomes the session's input
    QVERIFY(m_window->work().waitIdle(kPatienceMs));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("long.txt"));
    QString text;
    for (int i = 0; i < 40; ++i) text += QStringLiteral("春眠不觉晓，处处闻啼鸟。\n");
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text.toUtf8());
    f.close();
    QVERIFY(m_window->openTextFile(path));
    QVERIFY(m_window->work().waitIdle(kPatienceMs));
    QCOMPARE(m_window->session().input().text, text);
    QCOMPARE(panel()->textEdit()->toPlainText(), text);
    QCOMPARE(m_window->session().trace()->tokens(),
             tokenize(m_vocab, text.toStdString(), Tokenizer::OpenAsh));

    const QString latin1 = dir.filePath(QStringLiteral("latin1.txt"));
    QFile g(latin1);
    QVERIFY(g.open(QIODevice::WriteOnly));
    g.write("caf\xe9");
    g.close();
    const auto before = m_window->session().trace();
    QTimer::singleShot(0, [&] { QVERIFY(!m_window->openTextFile(latin1)); });
    const QString message = test::closeNextMessageBox();
    QVERIFY2(message.contains(QStringLiteral("not UTF-8")), qPrintable(message));
    QCOMPARE(m_window->session().trace(), before);
  }

  void badInputSaysWhyAndKeepsTheTrace() {
    const auto before = m_window->session().trace();
    panel()->kindBox()->setCurrentIndex(3);
    panel()->textEdit()->setPlainText(QStringLiteral("1, 99999999"));
    panel()->trace();
    const QString message = test::closeNextMessageBox();
    QVERIFY2(message.contains(QStringLiteral("outside the model's vocabulary")), qPrintable(message));
    QVERIFY(m_window->work().waitIdle(kPatienceMs));
    QCOMPARE(m_window->session().trace(), before);
  }
};

MAXSTATE_UI_TEST_MAIN(TestInputPanel)
#include "test_input_panel.moc"
