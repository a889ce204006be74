#pragma once
// Light and dark palettes for the whole application, and the matching look for QCustomPlot (which does not
// follow the widget palette by itself).
#include <QColor>
#include <QPalette>
#include <QString>

class QCustomPlot;
class QCPColorGradient;

#include "ui/export/heatmap_figure.h"  // the colour maps (viridisGradient, magmaGradient, ...)

namespace maxstate::ui {

enum class Theme { Light, Dark };
Theme themeFromName(const QString& name);  // "dark" -> Dark, anything else -> Light
QString themeName(Theme theme);
QPalette paletteFor(Theme theme);
// Fusion style and the palette, for the whole application.
void applyTheme(Theme theme);
bool isDark(const QPalette& palette);

// Background, axes, grid, labels and legend of a plot from its widget's palette.
void stylePlot(QCustomPlot* plot);
// The colour of the cursor line, readable on both palettes and on the colour maps.
QColor cursorColor(const QPalette& palette);
// Sequential colour maps (QCustomPlot 2.1 has no viridis preset).
// One colour per series (terms, checkpoints), distinct on both palettes.
QColor seriesColor(int index);

}  // namespace maxstate::ui
