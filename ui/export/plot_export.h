#pragma once
// Any plot of the explorer as a file: the picture (PNG at a chosen size and scale, SVG and PDF as vectors) or
// the numbers it shows (CSV, .npy), read back from the plot's own plottables so that the file holds exactly
// what is drawn. Every write is atomic.
#include <QSize>

#include <string>
#include <vector>

#include "maxstate/array.h"
#include "ui/export/heatmap_export.h"

class QCustomPlot;

namespace maxstate::ui {

// The numbers of a plot as a table: label columns (text: a key, a token, a name) and value columns. The .npy
// holds `values` (float64) reshaped to `npyShape` when given. Absent values are NaN.
struct PlotTable {
  std::vector<std::string> labelColumns;
  std::vector<std::vector<std::string>> rowLabels;  // [rows][labelColumns]
  std::vector<std::string> valueColumns;
  Array<double> values;  // [rows, valueColumns]
  Shape npyShape;
  int64_t rows() const { return values.empty() ? 0 : values.dim(0); }
};

// What `plot` draws. A plot with a colour map gives the map: one row per cell row (its value coordinate, e.g.
// channel or head), one column per cell column (its key coordinate, e.g. position), .npy [rows, columns].
// Otherwise one row per key of its graphs and bars (with the key axis' tick label, e.g. a token, when it has
// one) and one column per graph or bar set, named by its axis and legend name. Throws Error(Usage) when the
// plot shows no data.
PlotTable tableFromPlot(QCustomPlot& plot);

void writePlotTableCsv(const PlotTable& table, const std::string& path);
void writePlotTableNpy(const PlotTable& table, const std::string& path);
// CSV or .npy by format; Error(Usage) for an image format.
void writePlotTable(const PlotTable& table, ExportFormat format, const std::string& path);

// Throws Error(Usage) for sizes outside 100..20000 pixels a side or a scale outside (0, 8].
void checkImageSize(QSize size, double scale);
// Draws `plot` at `size` (logical pixels; points for PDF) into an image file; `scale` multiplies the pixel
// count of PNGs. Needs a QApplication. Throws Error(BadFile) when the file cannot be written.
void writePlotImage(QCustomPlot& plot, ExportFormat format, const std::string& path, QSize size, double scale,
                    const std::string& title);
}  // namespace maxstate::ui
