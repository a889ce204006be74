#pragma once
// Running positions through the model and keeping what a trace stores (core-internal).
#include <ATen/ATen.h>

#include <vector>

#include "maxstate/trace.h"
#include "model/model_ops.h"
#include "trace/progress_tracker.h"
#include "trace/segment.h"

namespace maxstate::detail {

// Work units runSegment reports for n positions, so that callers can size a ProgressTracker.
int64_t segmentWork(const ModelTensors& m, RunMode mode, int64_t n);

// Runs x0 [n, d] (the embedded ids, or a bare layer's input) through every layer after the carried states
// (`carry`, one per layer, empty at the start; updated), as positions [begin, begin + n). Parallel: each
// layer once over the n positions; Step: one position at a time through all layers. `edits` (what-if runs):
// one LayerEdits per layer, or null. The segment keeps the carried states every kStatePositions positions.
Segment runSegment(const ModelTensors& m, const at::Tensor& x0, int64_t begin,
                   std::vector<CarriedState>& carry, RunMode mode, int64_t topK, ProgressTracker& progress,
                   const std::vector<LayerEdits>* edits = nullptr);

}  // namespace maxstate::detail
