// Export from the explorer on the real core (a PyTorch-written checkpoint, tests/ui/make_ui_checkpoints.py):
// heatmaps (one, all heads of a layer, all layers) and every other plot, as data that equals the core's own
// arrays and as images of the asked size that are not blank and parse; the dialog writes what it shows and
// remembers its folder and format (its picture goes to build/screenshots/); a failed export says why and
// leaves an existing file as it was.
#include <QClipboard>
#include <QComboBox>
#include <QContextMenuEvent>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QProcess>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
#include <sstream>

#include "maxstate/error.h"
#include "maxstate/npy.h"
#include "screenshots.h"
#include "ui/export_controller.h"
#include "ui/session/core_model.h"
#include "ui/views/export_dialog.h"
#include "ui/views/themed_plot.h"
#include "ui_test_main.h"
#include "view_checks.h"

using namespace maxstate;
using namespace maxstate::ui;
using maxstate::test::closeNextMessageBox;
using maxstate::test::fixture;
using maxstate::test::kPatienceMs;
const QString kText = maxstate::test::kFixtureText;

namespace {

// A CSV file as rows of fields (no quoted commas in the files read here except where noted).
std::vector<std::vector<std::string>> readCsv(const QString& path) {
  std::ifstream in(path.toStdString());
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::stringstream ss(line);
    std::string f;
    while (std::getline(ss, f, ',')) fields.push_back(f);
    rows.push_back(fields);
  }
  return rows;
}

// Reads a float64 .npy written by writeNpy (the header is checked, then the raw values).
std::vector<double> readNpyDouble(const QString& path, std::vector<int64_t>& shape) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  const QByteArray bytes = f.readAll();
  const int headerLength = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
  const QByteArray header = bytes.mid(10, headerLength);
  if (!header.contains("'descr': '<f8'")) return {};
  const int open = header.indexOf('(') + 1, close = header.indexOf(')');
  shape.clear();
  for (const QByteArray& part : header.mid(open, close - open).split(','))
    if (!part.trimmed().isEmpty()) shape.push_back(part.trimmed().toLongLong());
  const QByteArray body = bytes.mid(10 + headerLength);
  std::vector<double> values(static_cast<size_t>(body.size()) / sizeof(double));
  std::memcpy(values.data(), body.constData(), values.size() * sizeof(double));
  return values;
}

bool notBlank(const QImage& image) {
  QSet<QRgb> colours;
  for (int y = 0; y < image.height(); y += 5)
    for (int x = 0; x < image.width(); x += 5) colours.insert(image.pixel(x, y));
  return colours.size() > 20;
}

}  // namespace

class TestExport : public QObject {
  Q_OBJECT
  std::unique_ptr<MainWindow> m_window;
  QTemporaryDir m_dir;

  QString out(const QString& name) const { return m_dir.filePath(name); }
  Session& session() { return m_window->session(); }
  ExportController& exporter() { return m_window->exporter(); }
  ThemedPlot* plotNamed(const char* objectName) {
    auto* p = m_window->findChild<ThemedPlot*>(QString::fromLatin1(objectName));
    if (!p) qWarning() << "no plot" << objectName;
    return p;
  }

 private slots:
  void initTestCase() {
    QVERIFY2(QFile::exists(fixture("step100.pth")),
             "run through ctest: the fixture ui_checkpoints writes the files");
    QVERIFY(m_dir.isValid());
    // MAXSTATE_KEEP_EXPORTS=1 keeps the files to look at.
    if (qEnvironmentVariableIsSet("MAXSTATE_KEEP_EXPORTS")) {
      m_dir.setAutoRemove(false);
      qInfo() << "exports kept in" << m_dir.path();
    }
  }
  void init() {
    m_window = std::make_unique<MainWindow>(std::make_shared<CoreModelLoader>());
    m_window->resize(1500, 950);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    SessionInput input;
    input.text = kText;
    session().setInput(input);
    m_window->openFiles({fixture("step100.pth")});
    QVERIFY(m_window->work().waitIdle(kPatienceMs));
    QVERIFY(session().trace());
    m_window->controller().selectLayer(1);
    QTRY_COMPARE_WITH_TIMEOUT(session().layer(), 1, kPatienceMs);
    session().setHead(1);
    session().setCursor(30);
  }
  void cleanup() { m_window.reset(); }

  void theHeatmapDataEqualsTheCoresArrays() {
    const auto record = session().trace()->layer(1);
    const RecordShape s = recordShape(*record);
    ExportChoice c;
    c.begin = 5;
    c.end = 40;
    c.format = ExportFormat::Npy;

    c.what = "state";
    c.path = out("state.npy");
    QCOMPARE(exporter().exportHeatmaps(c), QStringList{c.path});
    const FloatArray state = readNpyFloat(c.path.toStdString());
    QCOMPARE(state.shape(), (Shape{s.headDim, 35}));
    for (int64_t j = 0; j < s.headDim; ++j)
      for (int64_t p = 5; p < 40; ++p) QCOMPARE(state.at({j, p - 5}), record->state.at({p, 1, j}));

    c.what = "source";
    c.path = out("source.npy");
    exporter().exportHeatmaps(c);
    const IndexArray source = readNpyIndex(c.path.toStdString());
    QCOMPARE(source.shape(), (Shape{s.headDim, 35}));
    for (int64_t j = 0; j < s.headDim; ++j)
      for (int64_t p = 5; p < 40; ++p) QCOMPARE(source.at({j, p - 5}), record->source.at({p, 1, j}));

    c.what = "terms";
    c.path = out("terms.npy");
    exporter().exportHeatmaps(c);
    const FloatArray terms = readNpyFloat(c.path.toStdString());
    QCOMPARE(terms.shape(), (Shape{s.terms, s.headDim, 35}));
    for (int64_t t = 0; t < s.terms; ++t)
      for (int64_t j = 0; j < s.headDim; ++j)
        for (int64_t p = 5; p < 40; ++p) QCOMPARE(terms.at({t, j, p - 5}), record->terms.at({t, p, 1, j}));

    // CSV: the same numbers, read back exactly (max_digits10).
    c.what = "T2";
    c.format = ExportFormat::Csv;
    c.path = out("t2.csv");
    exporter().exportHeatmaps(c);
    const auto rows = readCsv(c.path);
    QCOMPARE(static_cast<int64_t>(rows.size()), s.headDim + 1);
    QCOMPARE(rows[0][1], std::string("5"));
    for (int64_t j = 0; j < s.headDim; ++j)
      for (int64_t p = 5; p < 40; ++p)
        QCOMPARE(std::stof(rows[static_cast<size_t>(j + 1)][static_cast<size_t>(p - 4)]),
                 record->terms.at({1, p, 1, j}));
  }

  void batchesWriteEveryHeadAndEveryLayer() {
    const int L = session().layerCount(), H = session().headCount();
    ExportChoice c;
    c.format = ExportFormat::Npy;
    c.what = "state";
    c.scope = ExportScope::AllLayers;
    c.begin = 0;
    c.end = session().length();
    c.path = out("all");
    int reports = 0;
    const QStringList files = exporter().exportHeatmaps(c, [&](int, int total) {
      ++reports;
      return total == L * H;
    });
    QCOMPARE(files.size(), L * H);
    QVERIFY(reports >= L * H);
    for (int l = 0; l < L; ++l) {
      const auto record = session().trace()->layer(l);  // layers 0 and 2 were computed for the export
      for (int h = 0; h < H; ++h) {
        const QString path = QDir(c.path).filePath(QStringLiteral("layer%1_head%2_state.npy").arg(l).arg(h));
        QVERIFY2(files.contains(path), qPrintable(path));
        const FloatArray a = readNpyFloat(path.toStdString());
        for (int64_t j = 0; j < a.dim(0); ++j)
          for (int64_t p = 0; p < a.dim(1); ++p) QCOMPARE(a.at({j, p}), record->state.at({p, h, j}));
      }
    }

    // All heads of the layer as PNGs of the asked size, twice the pixels at scale 2.
    c.scope = ExportScope::LayerHeads;
    c.format = ExportFormat::Png;
    c.size = QSize(500, 320);
    c.scale = 2;
    c.path = out("heads");
    QCOMPARE(exporter().exportHeatmaps(c).size(), H);
    for (int h = 0; h < H; ++h) {
      const QImage image(QDir(c.path).filePath(QStringLiteral("layer1_head%1_state.png").arg(h)));
      QCOMPARE(image.size(), QSize(1000, 640));
      QVERIFY(notBlank(image));
    }

    // Stopping part way leaves complete files and says so.
    c.path = out("stopped");
    try {
      exporter().exportHeatmaps(c, [](int done, int) { return done < 2; });
      QFAIL("a stopped export must say so");
    } catch (const Error& e) {
      QCOMPARE(e.kind(), ErrorKind::Cancelled);
      QVERIFY(QString::fromStdString(e.what()).contains("after 2 of"));
    }
    QCOMPARE(QDir(c.path).entryList(QDir::Files).size(), 2);
  }

  void imagesHaveTheAskedSizeAndSvgAndPdfParse() {
    ExportChoice c;
    c.what = "state";
    c.begin = 0;
    c.end = 24;  // few enough positions for token labels
    c.format = ExportFormat::Svg;
    c.size = QSize(900, 500);
    c.path = out("h.svg");
    exporter().exportHeatmaps(c);
    QSvgRenderer svg(c.path);
    QVERIFY(svg.isValid());
    QCOMPARE(svg.viewBox(), QRect(0, 0, 900, 500));
    QFile svgFile(c.path);
    QVERIFY(svgFile.open(QIODevice::ReadOnly));
    const QByteArray svgText = svgFile.readAll();
    QVERIFY(svgText.contains("layer 1"));  // the title, as text
    QVERIFY(svgText.contains(">channel<") || svgText.contains("channel"));

    c.format = ExportFormat::Pdf;
    c.path = out("h.pdf");
    exporter().exportHeatmaps(c);
    QProcess pdftotext;
    pdftotext.start("pdftotext", {c.path, "-"});
    QVERIFY2(pdftotext.waitForFinished(60000), "pdftotext (poppler-utils) runs");
    QCOMPARE(pdftotext.exitCode(), 0);
    const QString text = QString::fromUtf8(pdftotext.readAllStandardOutput());
    QVERIFY2(text.contains("layer 1") && text.contains("channel"), qPrintable(text.left(300)));
  }

  void imagesUseTheColourMapAsked() {
    auto near = [](const QImage& image, QColor c) {
      for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
          const QColor p = image.pixelColor(x, y);
          if (std::abs(p.red() - c.red()) + std::abs(p.green() - c.green()) + std::abs(p.blue() - c.blue()) <
              12)
            return true;
        }
      return false;
    };
    ExportChoice c;
    c.what = "state";
    c.begin = 0;
    c.end = session().length();
    c.format = ExportFormat::Png;
    c.size = QSize(600, 400);
    c.path = out("diverging.png");
    exporter().exportHeatmaps(c);
    const QImage diverging(c.path);
    c.colours = HeatmapColours::Viridis;
    c.path = out("viridis.png");
    exporter().exportHeatmaps(c);
    const QImage viridis(c.path);
    // The largest value gets the top colour of the map (the diverging map's dark red when it is the largest
    // in magnitude, its dark blue otherwise).
    QVERIFY(near(viridis, QColor(0xfd, 0xe7, 0x25)));
    QVERIFY(!near(viridis, QColor(103, 0, 31)));
    QVERIFY(near(diverging, QColor(103, 0, 31)) || near(diverging, QColor(5, 48, 97)));
    QVERIFY(!near(diverging, QColor(0xfd, 0xe7, 0x25)));
  }

  void everyPlotExportsTheNumbersItShows() {
    const auto record = session().trace()->layer(1);
    const RecordShape s = recordShape(*record);
    const int64_t p = session().cursor();
    std::vector<int64_t> shape;
    ExportChoice c;
    c.format = ExportFormat::Npy;

    // State at the cursor, all heads: channels x heads.
    c.path = out("heads.npy");
    exporter().exportPlot(*plotNamed("headStatesPlot"), c);
    auto v = readNpyDouble(c.path, shape);
    QCOMPARE(shape, (std::vector<int64_t>{s.headDim, s.heads}));
    for (int64_t j = 0; j < s.headDim; ++j)
      for (int64_t h = 0; h < s.heads; ++h)
        QCOMPARE(v[static_cast<size_t>(j * s.heads + h)], static_cast<double>(record->state.at({p, h, j})));

    // Sources: heads x tokens 0..cursor, the share of channels each token set (counted here from the
    // sources).
    c.path = out("sources.npy");
    exporter().exportPlot(*plotNamed("sourcesPlot"), c);
    v = readNpyDouble(c.path, shape);
    QCOMPARE(shape, (std::vector<int64_t>{s.heads, p + 1}));
    for (int64_t h = 0; h < s.heads; ++h) {
      std::vector<int> count(static_cast<size_t>(p + 1));
      for (int64_t j = 0; j < s.headDim; ++j) ++count[static_cast<size_t>(record->source.at({p, h, j}))];
      double sum = 0;
      for (int64_t t = 0; t <= p; ++t) {
        const double share = v[static_cast<size_t>(h * (p + 1) + t)];
        QVERIFY(std::abs(share - static_cast<double>(count[static_cast<size_t>(t)]) /
                                     static_cast<double>(s.headDim)) < 1e-12);
        sum += share;
      }
      QVERIFY(std::abs(sum - 1.0) < 1e-12);
    }

    // Terms over positions: positions x terms, each the L2 norm over the head's channels.
    c.path = out("terms.npy");
    exporter().exportPlot(*plotNamed("termLinesPlot"), c);
    v = readNpyDouble(c.path, shape);
    QCOMPARE(shape, (std::vector<int64_t>{s.length, s.terms}));
    for (int64_t q = 0; q < s.length; ++q)
      for (int64_t t = 0; t < s.terms; ++t) {
        double sq = 0;
        for (int64_t j = 0; j < s.headDim; ++j) {
          const double x = record->terms.at({t, q, 1, j});
          sq += x * x;
        }
        QVERIFY(std::abs(v[static_cast<size_t>(q * s.terms + t)] - std::sqrt(sq)) <=
                1e-12 * (1 + std::sqrt(sq)));
      }
    // The breakdown at the cursor: one row per term, one column.
    c.format = ExportFormat::Csv;
    c.path = out("breakdown.csv");
    exporter().exportPlot(*plotNamed("termBarsPlot"), c);
    auto rows = readCsv(c.path);
    QCOMPARE(static_cast<int64_t>(rows.size()), s.terms + 1);
    for (int64_t t = 0; t < s.terms; ++t) {
      QCOMPARE(rows[static_cast<size_t>(t + 1)][1], termName(static_cast<int>(t)).toStdString());
      QCOMPARE(std::stod(rows[static_cast<size_t>(t + 1)][2]),
               termBreakdown(*record, p, 1)[static_cast<size_t>(t)]);
    }

    // Alphas: layers x (alpha, checkpoint), equal to the checkpoint's own scalars.
    c.path = out("alphas.csv");
    exporter().exportPlot(*plotNamed("alphasPlot"), c);
    rows = readCsv(c.path);
    const auto alphas = session().checkpoint(0).model->alphas();
    QCOMPARE(rows.size(), alphas.size() + 1);
    const auto& header = rows[0];
    QCOMPARE(header[0], std::string("layer"));
    int checked = 0;
    for (size_t col = 1; col < header.size(); ++col)
      for (int k = 0; k < kAlphaKinds; ++k)
        if (header[col] == alphaName(static_cast<AlphaKind>(k)).toStdString() + " · step100.pth")
          for (size_t l = 0; l < alphas.size(); ++l) {
            QCOMPARE(std::stof(rows[l + 1][col]), *alphaValue(alphas[l], static_cast<AlphaKind>(k)));
            ++checked;
          }
    QVERIFY2(checked >= 3 * static_cast<int>(alphas.size()), qPrintable(QString::number(checked)));

    // Predictions: rank, token id, token, probability, as the trace predicts them.
    c.path = out("predictions.csv");
    exporter().exportPlot(*plotNamed("predictionsPlot"), c);
    rows = readCsv(c.path);
    const auto top = session().trace()->predictions(p);
    QCOMPARE(rows.size(), top.size() + 1);
    for (size_t i = 0; i < top.size(); ++i) {
      QCOMPARE(std::stoll(rows[i + 1][1]), top[i].token);
      QCOMPARE(std::stof(rows[i + 1].back()), top[i].probability);
    }

    // And every plot as a picture of the asked size.
    for (ThemedPlot* plot : m_window->findChildren<ThemedPlot*>()) {
      c.format = ExportFormat::Png;
      c.size = QSize(420, 300);
      c.scale = 1.5;
      c.path = out(plot->objectName() + ".png");
      exporter().exportPlot(*plot, c);
      const QImage image(c.path);
      QCOMPARE(image.size(), QSize(630, 450));
      QVERIFY2(notBlank(image), qPrintable(plot->objectName()));
    }
  }

  void theLogitLensExportsWhatItsTableShows() {
    const int64_t p = session().cursor();
    QTRY_COMPARE_WITH_TIMEOUT(m_window->predictionsView()->lensPosition(), p, kPatienceMs);
    const auto lens = session().trace()->logitLens(p);  // the core's own, [layer][k]
    ExportChoice c;
    c.format = ExportFormat::Npy;
    c.path = out("lens.npy");
    exporter().exportLens(*m_window->predictionsView(), c);
    std::vector<int64_t> shape;
    const auto v = readNpyDouble(c.path, shape);
    const auto ranks = static_cast<int64_t>(PredictionsView::kLensColumns);
    QCOMPARE(shape, (std::vector<int64_t>{static_cast<int64_t>(lens.size()), ranks}));
    c.format = ExportFormat::Csv;
    c.path = out("lens.csv");
    exporter().exportLens(*m_window->predictionsView(), c);
    const auto rows = readCsv(c.path);
    QCOMPARE(rows.size(), lens.size() * static_cast<size_t>(ranks) + 1);
    for (size_t l = 0; l < lens.size(); ++l)
      for (int64_t k = 0; k < ranks; ++k) {
        const size_t r = l * static_cast<size_t>(ranks) + static_cast<size_t>(k);
        QCOMPARE(v[r], static_cast<double>(lens[l][static_cast<size_t>(k)].probability));
        QCOMPARE(std::stoll(rows[r + 1][2]), lens[l][static_cast<size_t>(k)].token);
      }
    // Its dialog offers data formats only.
    int formats = -1;
    QTimer::singleShot(0, this, [&] {
      auto* dialog = qobject_cast<ExportDialog*>(QApplication::activeModalWidget());
      QVERIFY(dialog);
      formats = dialog->formatBox()->count();
      dialog->pathEdit()->setText(out("lens-dialog.csv"));
      dialog->formatBox()->setCurrentIndex(dialog->formatBox()->findData("csv"));
      dialog->pathEdit()->setText(out("lens-dialog.csv"));
      dialog->accept();
    });
    m_window->exporter().exportLensDialog(m_window->predictionsView());
    QCOMPARE(formats, 2);
    QVERIFY(QFile::exists(out("lens-dialog.csv")));
  }

  void theDialogWritesWhatItShowsAndRemembersFolderAndFormat() {
    const QString folder = out("dialog");
    QDir().mkpath(folder);
    // First run: npy of all heads into a folder of our choosing, through the dialog's own widgets.
    QTimer::singleShot(0, this, [&] {
      auto* dialog = qobject_cast<ExportDialog*>(QApplication::activeModalWidget());
      QVERIFY(dialog);
      dialog->formatBox()->setCurrentIndex(dialog->formatBox()->findData("npy"));
      dialog->whatBox()->setCurrentText("source");
      dialog->scopeBox()->setCurrentIndex(static_cast<int>(ExportScope::LayerHeads));
      QCOMPARE(dialog->beginBox()->value(), 0);  // the whole trace is in view
      QCOMPARE(dialog->endBox()->value(), static_cast<int>(session().length()));
      // The picture for the docs shows a path that does not change from run to run.
      dialog->pathEdit()->setText(QStringLiteral("/home/you/figures/step100_heatmaps"));
      const QImage shot = dialog->grab().toImage();
      QVERIFY(notBlank(shot));
      QVERIFY(QDir().mkpath(test::screenshotDir()));
      QVERIFY(shot.save(test::screenshotDir() + "/export-dialog.png"));
      dialog->pathEdit()->setText(QDir(folder).filePath("batch"));
      dialog->coloursBox()->setCurrentIndex(dialog->coloursBox()->findData("viridis"));
      dialog->accept();
    });
    m_window->exporter().exportHeatmapDialog();
    const QStringList written = QDir(QDir(folder).filePath("batch")).entryList(QDir::Files);
    QCOMPARE(written.size(), session().headCount());
    QVERIFY(written.contains("layer1_head0_source.npy"));
    QVERIFY(m_window->statusLabel()->text().contains("Exported"));

    // Second run: the dialog starts in that folder with that format; a plot's dialog too.
    QTimer::singleShot(0, this, [&] {
      auto* dialog = qobject_cast<ExportDialog*>(QApplication::activeModalWidget());
      QVERIFY(dialog);
      QCOMPARE(dialog->formatBox()->currentData().toString(), QStringLiteral("npy"));
      QCOMPARE(QFileInfo(dialog->pathEdit()->text()).absolutePath(), QFileInfo(folder).absoluteFilePath());
      QVERIFY(dialog->pathEdit()->text().endsWith("_sources.npy"));
      dialog->accept();
    });
    m_window->exporter().exportPlotDialog(plotNamed("sourcesPlot"));
    QVERIFY(QFile::exists(QDir(folder).filePath("step100_sources.npy")));
    // And the heatmap's dialog its colour map.
    QString colours;
    QTimer::singleShot(0, this, [&] {
      auto* dialog = qobject_cast<ExportDialog*>(QApplication::activeModalWidget());
      QVERIFY(dialog);
      colours = dialog->coloursBox()->currentData().toString();
      dialog->reject();
    });
    m_window->exporter().exportHeatmapDialog();
    QCOMPARE(colours, QStringLiteral("viridis"));
  }

  void rightClickingAnyPlotOpensItsExportDialog() {
    const auto plots = m_window->findChildren<ThemedPlot*>();
    QCOMPARE(plots.size(),
             8);  // heatmap, state at cursor, sources, terms (2), alphas, predictions, what-if KL
    for (ThemedPlot* plot : plots) {
      QVERIFY2(!plot->exportName().isEmpty(), qPrintable(plot->objectName()));
      if (plot->objectName() == QLatin1String("klPlot")) {
        QVERIFY(!plot->placeholder().isEmpty());  // nothing to export before an edit
        continue;
      }
      QString menuText;
      bool dialogShown = false, heatmapDialog = false;
      QTimer::singleShot(0, this, [&] {
        auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
        if (!menu || menu->actions().isEmpty()) return;
        menuText = menu->actions().front()->text();
        QTimer::singleShot(0, this, [&] {
          auto* dialog = qobject_cast<ExportDialog*>(QApplication::activeModalWidget());
          dialogShown = dialog != nullptr;
          heatmapDialog = dialog && dialog->whatBox();
          if (dialog) dialog->reject();
        });
        menu->actions().front()->trigger();
        menu->close();
      });
      const QPoint at = plot->rect().center();
      QContextMenuEvent event(QContextMenuEvent::Mouse, at, plot->mapToGlobal(at));
      QApplication::sendEvent(plot, &event);
      QCOMPARE(menuText, QStringLiteral("Export %1...").arg(plot->exportName()));
      // Copy the image: the plot as drawn, on the clipboard.
      QApplication::clipboard()->clear();
      plot->copyImage();
      const QImage copied = QApplication::clipboard()->image();
      QCOMPARE(copied.size(), plot->size() * plot->devicePixelRatioF());
      QVERIFY2(notBlank(copied), qPrintable(plot->objectName()));
      QVERIFY2(dialogShown, qPrintable(plot->objectName()));
      // The heatmap's own dialog offers what to show, the range and the batch; the other plots export as
      // drawn.
      QCOMPARE(heatmapDialog, plot == m_window->heatmapView()->plot());
    }
  }

  void aFailedExportSaysWhyAndLeavesTheExistingFile() {
    QDir().mkpath(out("failed"));
    const QString keep = out("failed/keep.png");
    {
      QFile f(keep);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write("precious");
    }
    QSignalSpy errors(m_window.get(), &MainWindow::errorShown);
    // Too small an image (the dialog cannot even take it): refused before anything is written.
    ExportChoice c;
    c.what = "state";
    c.begin = 0;
    c.end = 10;
    c.size = QSize(20, 20);
    c.path = keep;
    QVERIFY_THROWS_EXCEPTION(Error, exporter().exportHeatmaps(c));
    {
      QFile f(keep);
      QVERIFY(f.open(QIODevice::ReadOnly));
      QCOMPARE(f.readAll(), QByteArray("precious"));
    }
    // A valid export over the file replaces it completely.
    QTimer::singleShot(0, this, [&] {
      auto* dialog = qobject_cast<ExportDialog*>(QApplication::activeModalWidget());
      QVERIFY(dialog);
      dialog->formatBox()->setCurrentIndex(dialog->formatBox()->findData("png"));
      dialog->scopeBox()->setCurrentIndex(0);
      dialog->fitBox()->setChecked(false);
      dialog->pathEdit()->setText(keep);
      QVERIFY(dialog->findChild<QLabel*>("exportNote")->text().contains("keep.png exists"));
      dialog->accept();
    });
    m_window->exporter().exportHeatmapDialog();
    QImage replaced(keep);
    QVERIFY(!replaced.isNull());

    // A folder that does not exist: the error is shown, the window keeps its trace.
    {
      QFile f(keep);
      QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
      f.write("precious");
    }
    const auto before = session().trace();
    QTimer::singleShot(0, this, [&] {
      auto* dialog = qobject_cast<ExportDialog*>(QApplication::activeModalWidget());
      QVERIFY(dialog);
      dialog->scopeBox()->setCurrentIndex(0);
      dialog->pathEdit()->setText(out("no/such/folder/x.png"));
      dialog->accept();
    });
    m_window->exporter().exportHeatmapDialog();
    QTRY_COMPARE_WITH_TIMEOUT(errors.size(), 1, 5000);
    QVERIFY2(errors[0][1].toString().contains("cannot write"), qPrintable(errors[0][1].toString()));
    for (QWidget* w : QApplication::topLevelWidgets())
      if (auto* box = qobject_cast<QMessageBox*>(w)) box->close();
    QFile f(keep);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray("precious"));
    QCOMPARE(session().trace(), before);
    // No temporary file left beside it.
    QCOMPARE(QDir(out("failed")).entryList(QDir::Files | QDir::Hidden), QStringList{"keep.png"});
  }
};

MAXSTATE_UI_TEST_MAIN(TestExport)
#include "test_export.moc"
