#include "ui/export/heatmap_export.h"

#include <qcustomplot.h>

#include <algorithm>
#include <iomanip>
#include <limits>
#include <sstream>

#include "maxstate/atomic_file.h"
#include "maxstate/error.h"
#include "maxstate/npy.h"
#include "ui/export/heatmap_figure.h"
#include "ui/export/plot_export.h"

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
    case ExportFormat::Png:
      return "png";
    case ExportFormat::Svg:
      return "svg";
    case ExportFormat::Pdf:
      return "pdf";
    case ExportFormat::Csv:
      return "csv";
    case ExportFormat::Npy:
      return "npy";
  }
  return "";
}

bool isImageFormat(ExportFormat f) {
  return f == ExportFormat::Png || f == ExportFormat::Svg || f == ExportFormat::Pdf;
}

QSize defaultFigureSize(const HeatmapData& data) {
  const int64_t n = data.positions();
  const bool labelled = !data.positionLabels.empty() && n <= kMaxLabelledPositions;
  const int width = static_cast<int>(std::clamp<int64_t>(160 + n * (labelled ? 22 : 4), 900, 2400));
  const int height =
      static_cast<int>(120 + std::clamp<int64_t>(data.channels() * 6, 220, 420) *
                                 static_cast<int64_t>(std::max<size_t>(data.panels.size(), 1)));
  return {width, height};
}

void writeHeatmap(const HeatmapData& data, ExportFormat format, const std::string& path, QSize size,
                  double scale, HeatmapColours colours) {
  if (format == ExportFormat::Csv) return writeHeatmapCsv(data, path);
  if (format == ExportFormat::Npy) return writeHeatmapNpy(data, path);
  if (size.isEmpty()) size = defaultFigureSize(data);
  checkImageSize(size, scale);
  QCustomPlot plot;
  plot.resize(size);
  buildHeatmapFigure(plot, data, colours);
  writePlotImage(plot, format, path, size, scale, data.title);
}

std::string heatmapFileName(int layer, int head, const std::string& what, ExportFormat format) {
  return "layer" + std::to_string(layer) + "_head" + std::to_string(head) + "_" + what + "." +
         extensionOf(format);
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
          if (!data.sources.empty())
            out << data.sources.at({j, p});
          else
            out << data.panels[k].at({j, p});
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
  for (int64_t t = 0; t < T; ++t)
    std::copy(data.panels[t].data(), data.panels[t].data() + plane, all.data() + t * plane);
  writeNpy(path, all);
}

}  // namespace maxstate::ui
