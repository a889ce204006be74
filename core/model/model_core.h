#pragma once
// What a Model and every trace made from it share (core-internal): traces keep it alive, so a trace stays
// usable after its Model is gone.
#include <memory>

#include "maxstate/architecture.h"
#include "maxstate/trace.h"
#include "model/model_ops.h"

namespace maxstate::detail {

struct ModelCore {
  ModelWeights weights;  // owns the buffers the tensors wrap
  ModelInfo info;        // with hidden size, heads, layers and vocabulary read off the weights
  ModelTensors tensors;
};

// What Model::trace and traceInput check before a run (model.cpp), for runs made elsewhere (compareRuns):
// Error(Usage) for ids outside the vocabulary or a bare layer given ids, Error(Shape) / Error(Usage) for an
// input that is not [S, d] or not finite, or a whole model given an input.
void checkTraceOptions(const TraceOptions& options, const ModelInfo& info);
void checkTraceIds(const std::vector<int64_t>& ids, const ModelInfo& info);
void checkTraceInput(const FloatArray& x, const ModelInfo& info);

}  // namespace maxstate::detail

namespace maxstate {
struct Model::Impl {
  std::shared_ptr<const detail::ModelCore> core;
};
}  // namespace maxstate
