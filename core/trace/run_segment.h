#pragma once
// Running positions through the model and keeping what a trace stores (core-internal).
#include <ATen/ATen.h>

#include <vector>

#include "maxstate/trace.h"
#include "model/model_ops.h"
#include "trace/progress_tracker.h"
#include "trace/segment.h"

namespace maxstate::detail {

// Rows of logits a run computes at once (the whole [n, V] matrix would not fit for long traces of real
// vocabularies). Logits computed in other row blocks may differ by float rounding.
int64_t headChunkRows(int64_t vocab);

// Work units runSegment reports for n positions, so that callers can size a ProgressTracker.
int64_t segmentWork(const ModelTensors& m, RunMode mode, int64_t n);

// Runs x0 [n, d] (the embedded ids, or a bare layer's input) through every layer after the carried states
// (`carry`, one per layer, empty at the start; updated), as positions [begin, begin + n). Parallel: each
// layer once over the n positions; Step: one position at a time through all layers. `edits` (what-if runs):
// one LayerEdits per layer, or null. The segment keeps the carried states every kStatePositions positions.
Segment runSegment(const ModelTensors& m, const at::Tensor& x0, int64_t begin,
                   std::vector<CarriedState>& carry, RunMode mode, int64_t topK, ProgressTracker& progress,
                   const std::vector<LayerEdits>* edits = nullptr);

// The parallel run of runSegment one piece at a time -- each layer in order, then the head in chunks of rows
// -- so that two runs can go side by side and be compared as they are made (compareRuns) without keeping
// or recomputing any layer's full record. The Segment it builds is the one runSegment returns.
class ParallelRun {
 public:
  ParallelRun(const ModelTensors& m, const at::Tensor& x0, int64_t begin, std::vector<CarriedState>& carry,
              int64_t topK, const std::vector<LayerEdits>* edits = nullptr);
  // Runs layer `l` (layers in order, 0 first). `record` and `result`: what the layer itself made
  // (its states, sources and terms when asked), for callers that look at it.
  void layer(int l, RecordOptions record = {false, false}, LayerResult* result = nullptr);
  // The head (models), after the last layer: `headChunks()` chunks of rows; chunk i keeps its top
  // predictions and returns its logits [rows, V] with the first row position `headChunkBegin(i)`.
  int64_t headChunks() const;
  int64_t headChunkBegin(int64_t i) const;
  at::Tensor head(int64_t i);
  Segment take() { return std::move(m_segment); }

 private:
  const ModelTensors& m_model;
  std::vector<CarriedState>& m_carry;
  const std::vector<LayerEdits>* m_edits;
  int64_t m_topK;
  at::Tensor m_x;
  Segment m_segment;
};

}  // namespace maxstate::detail
