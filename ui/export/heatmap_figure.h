#pragma once
// Draws HeatmapData into a QCustomPlot: title, one colour map per panel (channels x positions), axis labels,
// token labels on the position axis when there are few enough to read, and one shared colour scale.
#include <QColor>

#include "ui/export/heatmap_data.h"

class QCustomPlot;
class QCPColorGradient;

namespace maxstate::ui {

// Symmetric blue-white-red for signed values (state, terms); a sequential map for source positions.
QCPColorGradient divergingGradient();
QCPColorGradient sequentialGradient();

// Positions up to this count get their token labels on the axis.
constexpr int64_t kMaxLabelledPositions = 64;

// Replaces whatever `plot` showed. Colour range: symmetric around zero over all panels, or the source range.
void buildHeatmapFigure(QCustomPlot& plot, const HeatmapData& data);

}  // namespace maxstate::ui
