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

}  // namespace maxstate::detail

namespace maxstate {
struct Model::Impl {
  std::shared_ptr<const detail::ModelCore> core;
};
}  // namespace maxstate
