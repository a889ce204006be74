#include "ui/export/heatmap_export.h"

#include <QBuffer>
#include <QImage>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <qcustomplot.h>

#include <algorithm>
#include <iomanip>
#include <limits>
#include <sstream>

#include "maxstate/atomic_file.h"
#include "maxstate/error.h"
#include "maxstate/npy.h"
#include "ui/export/heatmap_figure.h"

namespace maxstate::ui {

ExportFormat parseExportFormat(const std::string& text) {
  if (text == "png") return ExportFormat::Png;
  if (text == "svg") return ExportFormat::Svg;
  if (text == "pdf") return ExportFormat::Pdf;
  if (text == "csv") return ExportFormat::Csv;
  if (text == "npy") return ExportFormat::Npy;
  throw Error(ErrorKind::Usage, "unknown format '" + text + "': choose png, svg, pdf, csv or npy");
}

const char* extensionOf(ExportFormat f) {
  switch (f) {
    case ExportFormat::Png: return "png";
    case ExportFormat::Svg: return "svg";
    case ExportFormat::Pdf: return "pdf";
    case ExportFormat::Csv: return "csv";
    case ExportFormat::Npy: return "npy";
  }
  return "";
}

bool isImageFormat(ExportFormat f) { return f == ExportFormat::Png || f == ExportFormat::Svg || f == ExportFormat::Pdf; }

QSize defaultFigureSize(const HeatmapData& data) {
  const int64_t n = data.positions();
  const bool labelled = !data.positionLabels.empty() && n <= kMaxLabelledPositions;
  const int width = static_cast<int>(std::clamp<int64_t>(160 + n * (labelled ? 22 : 4), 900, 2400));
  const int height = static_cast<int>(120 + std::clamp<int64_t>(data.channels() * 6, 220, 420) *
                                                static_cast<int64_t>(std::max<size_t>(data.panels.size(), 1)));
  return {width, height};
}

namespace {

void commit(QSaveFile& file, const std::string& path) {
  if (!file.commit()) {
    throw Error(ErrorKind::BadFile, "cannot write " + path + ": " + file.errorString().toStdString());
  }
}

void openForWriting(QSaveFile& file, const std::string& path) {
  if (!file.open(QIODevice::WriteOnly)) {
    throw Error(ErrorKind::BadFile, "cannot write " + path + ": " + file.errorString().toStdString());
  }
}

}  // namespace

void writeHeatmap(const HeatmapData& data, ExportFormat format, const std::string& path, QSize size, double scale) {
  if (format == ExportFormat::Csv) return writeHeatmapCsv(data, path);
  if (format == ExportFormat::Npy) return writeHeatmapNpy(data, path);
  if (size.isEmpty()) size = defaultFigureSize(data);
  if (size.width() < 100 || size.height() < 100 || size.width() > 20000 || size.height() > 20000 || scale <= 0 ||
      scale > 8) {
    throw Error(ErrorKind::Usage, "image size " + std::to_string(size.width()) + "x" + std::to_string(size.height()) +
                                      " (scale " + std::to_string(scale) +
                                      ") is out of bounds: 100..20000 pixels a side, scale up to 8");
  }
  QCustomPlot plot;
  plot.resize(size);
  buildHeatmapFigure(plot, data);
  QSaveFile file(QString::fromStdString(path));
  openForWriting(file, path);
  const int w = size.width(), h = size.height();
  if (format == ExportFormat::Png) {
    const QPixmap pixmap = plot.toPixmap(w, h, scale);
    if (pixmap.isNull() || !pixmap.toImage().save(&file, "PNG")) {
      file.cancelWriting();
      throw Error(ErrorKind::BadFile, "cannot render the PNG image for " + path);
    }
  } else if (format == ExportFormat::Svg) {
    QSvgGenerator svg;
    svg.setOutputDevice(&file);
    svg.setSize(size);
    svg.setViewBox(QRect(0, 0, w, h));
    svg.setTitle(QString::fromStdString(data.title));
    svg.setDescription(QStringLiteral("MaxState Explorer heatmap"));
    QCPPainter painter;
    painter.begin(&svg);
    plot.toPainter(&painter, w, h);
    painter.end();
  } else {
    QPdfWriter pdf(&file);
    pdf.setCreator(QStringLiteral("MaxState Explorer"));
    pdf.setTitle(QString::fromStdString(data.title));
    pdf.setResolution(72);  // one logical pixel = one point
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
    pdf.setPageSize(QPageSize(QSizeF(w, h), QPageSize::Point, QString(), QPageSize::ExactMatch));
    QCPPainter painter;
    if (!painter.begin(&pdf)) {
      file.cancelWriting();
      throw Error(ErrorKind::BadFile, "cannot start a PDF for " + path);
    }
    painter.setMode(QCPPainter::pmVectorized);
    painter.setMode(QCPPainter::pmNoCaching);
    painter.setWindow(0, 0, w, h);
    plot.toPainter(&painter, w, h);
    painter.end();
  }
  commit(file, path);
}

void writeHeatmapCsv(const HeatmapData& data, const std::string& path) {
  const bool multi = data.panels.size() > 1;
  writeFileAtomically(path, [&](std::ostream& out) {
    out << std::setprecision(std::numeric_limits<float>::max_digits10);
    out << (multi ? "term,channel" : "channel");
    for (int64_t p = 0; p < data.positions(); ++p) out << ',' << data.begin + p;
    out << '\n';
    for (size_t k = 0; k < data.panels.size(); ++k)
      for (int64_t j = 0; j < data.channels(); ++j) {
        if (multi) out << data.panelNames[k] << ',';
        out << j;
        for (int64_t p = 0; p < data.positions(); ++p) {
          out << ',';
          if (!data.sources.empty()) out << data.sources.at({j, p});
          else out << data.panels[k].at({j, p});
        }
        out << '\n';
      }
  });
}

void writeHeatmapNpy(const HeatmapData& data, const std::string& path) {
  if (!data.sources.empty()) return writeNpy(path, data.sources);
  if (data.panels.size() == 1) return writeNpy(path, data.panels[0]);
  const int64_t T = static_cast<int64_t>(data.panels.size()), plane = data.channels() * data.positions();
  FloatArray all({T, data.channels(), data.positions()});
  for (int64_t t = 0; t < T; ++t) std::copy(data.panels[t].data(), data.panels[t].data() + plane, all.data() + t * plane);
  writeNpy(path, all);
}

}  // namespace maxstate::ui
