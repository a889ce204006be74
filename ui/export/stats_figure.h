#pragma once
// The overview figure of the long-context statistics (issue 15, `maxstate stats --plot`): the state norm of
// every layer over positions (a layer x position map of the mean over heads; a bare layer's heads as lines),
// the loss on the text (raw and its running mean) below it on the same position axis, and the training
// length marked in both.
#include <cstdint>
#include <string>

#include "maxstate/stats.h"

class QCustomPlot;

namespace maxstate::ui {

// The running mean's window for `length` positions: about a hundredth of them, at least 1, at most 1024.
int64_t runningMeanWindow(int64_t length);
// Trailing mean of the last `window` values (fewer at the start), in float64.
std::vector<double> runningMean(const FloatArray& values, int64_t window);

// Replaces whatever `plot` showed. `trainLength` > 0 draws the marker.
void buildStatsFigure(QCustomPlot& plot, const LongContextStats& stats, const std::string& title,
                      int64_t trainLength);

}  // namespace maxstate::ui
