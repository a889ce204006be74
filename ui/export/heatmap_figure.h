#pragma once
// Draws HeatmapData into a QCustomPlot: title, one colour map per panel (channels x positions), axis labels,
// token labels on the position axis when there are few enough to read, and one shared colour scale.
#include <QColor>

#include "ui/export/heatmap_data.h"

class QCustomPlot;
class QCPColorGradient;

namespace maxstate::ui {

// The colour maps of the explorer and of its figures: blue-white-red for signed values around zero; viridis
// (the explorer's state heatmaps, and source positions everywhere) and magma (shares of channels).
QCPColorGradient divergingGradient();
QCPColorGradient viridisGradient();
QCPColorGradient magmaGradient();

// How a figure colours signed values: diverging (zero white, a range symmetric around it) or viridis from the
// smallest to the largest value, as the explorer's heatmap shows them. Sources are always viridis.
enum class HeatmapColours { Diverging, Viridis };
// "diverging" or "viridis"; throws Error(Usage) naming both.
HeatmapColours parseHeatmapColours(const std::string& text);
const char* nameOf(HeatmapColours colours);

// Positions up to this count get their token labels on the axis.
constexpr int64_t kMaxLabelledPositions = 64;

// Replaces whatever `plot` showed. Colour range over all panels: symmetric around zero (diverging), smallest
// to largest (viridis), or the source positions.
void buildHeatmapFigure(QCustomPlot& plot, const HeatmapData& data,
                        HeatmapColours colours = HeatmapColours::Diverging);

}  // namespace maxstate::ui
