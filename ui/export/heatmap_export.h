#pragma once
// Writes a heatmap as an image (PNG, SVG, PDF) or as the exact data shown (CSV, .npy). Every write is atomic:
// an existing file is replaced only once the new one is complete.
#include <QSize>

#include <string>

#include "ui/export/heatmap_data.h"
#include "ui/export/heatmap_figure.h"

namespace maxstate::ui {

enum class ExportFormat { Png, Svg, Pdf, Csv, Npy };
// "png", "svg", ... ; throws Error(Usage) listing the formats.
ExportFormat parseExportFormat(const std::string& text);
const char* extensionOf(ExportFormat f);
bool isImageFormat(ExportFormat f);

// A size that leaves room for every panel and, when labelled, every token.
QSize defaultFigureSize(const HeatmapData& data);

// Images need a QApplication (any platform, offscreen included). `size` in logical pixels (points for PDF);
// `scale` multiplies the pixel count of PNGs (2 = high-DPI). Throws Error(BadFile) when the file cannot be
// written.
void writeHeatmap(const HeatmapData& data, ExportFormat format, const std::string& path, QSize size = {},
                  double scale = 1.0, HeatmapColours colours = HeatmapColours::Diverging);

// The file name of one heatmap in a folder of several: layer<L>_head<H>_<what>.<ext> (as `maxstate export`
// writes them).
std::string heatmapFileName(int layer, int head, const std::string& what, ExportFormat format);

// CSV layout: header "channel,<position>,..." (plus a leading "term" column when there are several panels),
// one row per channel. .npy: [channels, positions] (float32; int64 for source), or [T, channels, positions]
// for terms.
void writeHeatmapCsv(const HeatmapData& data, const std::string& path);
void writeHeatmapNpy(const HeatmapData& data, const std::string& path);

}  // namespace maxstate::ui
