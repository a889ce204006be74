// Heatmap export: the data written equals the core's record, images have the asked size and are not blank,
// SVG and PDF parse and carry their text as text, and a failed export leaves an existing file untouched.
#include <gtest/gtest.h>

#include <QApplication>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QXmlStreamReader>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "maxstate/error.h"
#include "maxstate/layer.h"
#include "maxstate/npy.h"
#include "ui/export/heatmap_data.h"
#include "ui/export/heatmap_export.h"

namespace maxstate::ui {
namespace {

LayerRecord makeRecord(Variant variant, int64_t S) {
  LayerWeights w;
  w.variant = variant;
  w.heads = 3;
  const int64_t d = 12;
  w.combined = FloatArray({4 * d, d});
  for (int64_t i = 0; i < w.combined.size(); ++i) w.combined[i] = std::sin(0.7f * float(i)) * 0.4f;
  w.alpha1 = 0.3f;
  w.alpha2 = -0.2f;
  w.alpha3 = 0.9f;
  if (variant == Variant::OpenAsh) {
    w.headLinear = FloatArray({3, 15});
    for (int64_t i = 0; i < 45; ++i) w.headLinear[i] = std::cos(float(i)) * 0.3f;
  }
  FloatArray x({S, d});
  for (int64_t i = 0; i < x.size(); ++i) x[i] = std::sin(1.3f * float(i) + 0.1f);
  return Layer(w).runParallel(x);
}

class HeatmapExport : public ::testing::Test {
 protected:
  QTemporaryDir dir;
  std::string path(const std::string& name) {
    return dir.filePath(QString::fromStdString(name)).toStdString();
  }
};

TEST_F(HeatmapExport, ExtractsExactlyTheRecordsValues) {
  const LayerRecord r = makeRecord(Variant::OpenAsh, 40);
  const HeatmapData state = extractHeatmap(r, 2, parseQuantity("state", Variant::OpenAsh), 5, 30, {}, "");
  ASSERT_EQ(state.channels(), 4);
  ASSERT_EQ(state.positions(), 25);
  for (int64_t j = 0; j < 4; ++j)
    for (int64_t p = 0; p < 25; ++p) EXPECT_EQ(state.panels[0].at({j, p}), r.state.at({p + 5, 2, j}));
  const HeatmapData src = extractHeatmap(r, 1, parseQuantity("source", Variant::OpenAsh), 0, 40, {}, "");
  for (int64_t j = 0; j < 4; ++j)
    for (int64_t p = 0; p < 40; ++p) EXPECT_EQ(src.sources.at({j, p}), r.source.at({p, 1, j}));
  const HeatmapData t6 = extractHeatmap(r, 0, parseQuantity("T6", Variant::OpenAsh), 10, 11, {}, "");
  EXPECT_EQ(t6.panels[0].at({3, 0}), r.terms.at({5, 10, 0, 3}));
  const HeatmapData all = extractHeatmap(r, 0, parseQuantity("terms", Variant::OpenAsh), 0, 40, {}, "");
  ASSERT_EQ(all.panels.size(), 6u);
  EXPECT_EQ(all.panels[2].at({1, 7}), r.terms.at({2, 7, 0, 1}));
}

TEST_F(HeatmapExport, RefusesUnknownQuantitiesHeadsAndRanges) {
  const LayerRecord r = makeRecord(Variant::Seed, 10);
  EXPECT_THROW(parseQuantity("T6", Variant::Seed), Error);  // the seed variant has five terms
  EXPECT_THROW(parseQuantity("attention", Variant::OpenAsh), Error);
  EXPECT_THROW(extractHeatmap(r, 3, parseQuantity("state", Variant::Seed), 0, 10, {}, ""), Error);
  EXPECT_THROW(extractHeatmap(r, 0, parseQuantity("state", Variant::Seed), 4, 11, {}, ""), Error);
  EXPECT_EQ(parseRange("2:5", 10), std::make_pair(int64_t{2}, int64_t{5}));
  EXPECT_EQ(parseRange(":", 10), std::make_pair(int64_t{0}, int64_t{10}));
  EXPECT_EQ(parseRange("-3:", 10), std::make_pair(int64_t{7}, int64_t{10}));
  EXPECT_THROW(parseRange("5:2", 10), Error);
  EXPECT_THROW(parseRange("0:11", 10), Error);
  EXPECT_THROW(parseRange("a:b", 10), Error);
}

TEST_F(HeatmapExport, NpyAndCsvHoldExactlyTheDataShown) {
  const LayerRecord r = makeRecord(Variant::OpenAsh, 30);
  const HeatmapData state = extractHeatmap(r, 1, parseQuantity("state", Variant::OpenAsh), 3, 20, {}, "");
  writeHeatmap(state, ExportFormat::Npy, path("state.npy"));
  const FloatArray back = readNpyFloat(path("state.npy"));
  ASSERT_EQ(back.shape(), (Shape{4, 17}));
  for (int64_t i = 0; i < back.size(); ++i) EXPECT_EQ(back[i], state.panels[0][i]);

  const HeatmapData src = extractHeatmap(r, 1, parseQuantity("source", Variant::OpenAsh), 0, 30, {}, "");
  writeHeatmap(src, ExportFormat::Npy, path("source.npy"));
  const IndexArray srcBack = readNpyIndex(path("source.npy"));
  for (int64_t i = 0; i < srcBack.size(); ++i) EXPECT_EQ(srcBack[i], src.sources[i]);

  const HeatmapData terms = extractHeatmap(r, 2, parseQuantity("terms", Variant::OpenAsh), 0, 30, {}, "");
  writeHeatmap(terms, ExportFormat::Npy, path("terms.npy"));
  const FloatArray termsBack = readNpyFloat(path("terms.npy"));
  ASSERT_EQ(termsBack.shape(), (Shape{6, 4, 30}));
  EXPECT_EQ(termsBack.at({4, 2, 9}), r.terms.at({4, 9, 2, 2}));

  writeHeatmap(state, ExportFormat::Csv, path("state.csv"));
  std::ifstream csv(path("state.csv"));
  std::string header;
  std::getline(csv, header);
  EXPECT_EQ(header.rfind("channel,3,4,5,", 0), 0u) << header;
  for (int64_t j = 0; j < 4; ++j) {
    std::string line;
    ASSERT_TRUE(std::getline(csv, line));
    std::stringstream ss(line);
    std::string cell;
    std::getline(ss, cell, ',');
    EXPECT_EQ(std::stoll(cell), j);
    for (int64_t p = 0; p < 17; ++p) {
      ASSERT_TRUE(std::getline(ss, cell, ','));
      EXPECT_EQ(std::stof(cell), state.panels[0].at({j, p})) << "channel " << j << " position " << p;
    }
  }
}

// Distinct colours and the share of non-white pixels: a blank or single-colour image fails.
void expectNotBlank(const QImage& image) {
  std::set<QRgb> colours;
  int64_t nonWhite = 0;
  for (int y = 0; y < image.height(); y += 2)
    for (int x = 0; x < image.width(); x += 2) {
      const QRgb c = image.pixel(x, y);
      colours.insert(c);
      if (qRed(c) < 240 || qGreen(c) < 240 || qBlue(c) < 240) ++nonWhite;
    }
  EXPECT_GT(colours.size(), 50u);
  EXPECT_GT(nonWhite, int64_t(image.width()) * image.height() / 4 / 10);
}

TEST_F(HeatmapExport, PngHasTheAskedSizeAndShowsTheMap) {
  const LayerRecord r = makeRecord(Variant::OpenAsh, 24);
  std::vector<std::string> labels;
  for (int i = 0; i < 24; ++i) labels.push_back("tok" + std::to_string(i));
  const HeatmapData data =
      extractHeatmap(r, 0, parseQuantity("state", Variant::OpenAsh), 0, 24, labels, "demo · layer 0 · ");
  writeHeatmap(data, ExportFormat::Png, path("a.png"), QSize(800, 500), 1.0);
  QImage image(QString::fromStdString(path("a.png")));
  ASSERT_FALSE(image.isNull());
  EXPECT_EQ(image.size(), QSize(800, 500));
  expectNotBlank(image);
  writeHeatmap(data, ExportFormat::Png, path("b.png"), QSize(640, 400), 2.0);
  EXPECT_EQ(QImage(QString::fromStdString(path("b.png"))).size(), QSize(1280, 800));
  image.save(QString::fromStdString(std::string(MAXSTATE_BINARY_DIR) + "/test_heatmap_export.png"));
}

TEST_F(HeatmapExport, SvgAndPdfParseAndKeepTextAsText) {
  const LayerRecord r = makeRecord(Variant::Seed, 20);
  const HeatmapData data =
      extractHeatmap(r, 1, parseQuantity("terms", Variant::Seed), 0, 20, {}, "demo · layer 0 · ");
  writeHeatmap(data, ExportFormat::Svg, path("t.svg"), QSize(900, 1200));
  QFile svg(QString::fromStdString(path("t.svg")));
  ASSERT_TRUE(svg.open(QIODevice::ReadOnly));
  const QByteArray svgBytes = svg.readAll();
  QXmlStreamReader xml(svgBytes);
  int texts = 0;
  while (!xml.atEnd())
    if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QStringLiteral("text")) ++texts;
  EXPECT_FALSE(xml.hasError()) << xml.errorString().toStdString();
  EXPECT_GT(texts, 10);  // title, axis labels and tick labels are text, not pixels
  EXPECT_TRUE(svgBytes.contains("T5 · channel"));
  EXPECT_TRUE(QSvgRenderer(svgBytes).isValid());

  writeHeatmap(data, ExportFormat::Pdf, path("t.pdf"), QSize(900, 1200));
  QProcess pdftotext;
  pdftotext.start("pdftotext", {QString::fromStdString(path("t.pdf")), "-"});
  ASSERT_TRUE(pdftotext.waitForFinished(30000));
  ASSERT_EQ(pdftotext.exitCode(), 0) << pdftotext.readAllStandardError().toStdString();
  const QString text = QString::fromUtf8(pdftotext.readAllStandardOutput());
  EXPECT_TRUE(text.contains("head 1")) << text.toStdString();
  EXPECT_TRUE(text.contains("position"));
  EXPECT_TRUE(text.contains("term value"));
  // Kept for a person to look at (tests/ui output in the build folder).
  const QString keep = QString(MAXSTATE_BINARY_DIR) + "/test_heatmap_export";
  QFile::remove(keep + ".svg");
  QFile::remove(keep + ".pdf");
  QFile::copy(QString::fromStdString(path("t.svg")), keep + ".svg");
  QFile::copy(QString::fromStdString(path("t.pdf")), keep + ".pdf");
}

TEST_F(HeatmapExport, AFailedExportLeavesTheExistingFileUntouched) {
  const std::string target = path("keep.png");
  {
    std::ofstream out(target);
    out << "precious";
  }
  const LayerRecord r = makeRecord(Variant::Seed, 8);
  const HeatmapData data = extractHeatmap(r, 0, parseQuantity("state", Variant::Seed), 0, 8, {}, "");
  EXPECT_THROW(writeHeatmap(data, ExportFormat::Png, target, QSize(5, 5)), Error);
  EXPECT_THROW(writeHeatmap(data, ExportFormat::Png, path("no-such-folder/x.png"), QSize(400, 300)), Error);
  std::ifstream in(target);
  std::string content;
  std::getline(in, content);
  EXPECT_EQ(content, "precious");
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path().toStdString())) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 1);  // no temporary left behind
}

}  // namespace
}  // namespace maxstate::ui

int main(int argc, char** argv) {
  qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
