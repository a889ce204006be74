#pragma once
// The layer's maths on ATen tensors, in PyTorch's own layout ([1, dh, S, H] per branch) and with PyTorch's
// own operations, so that the parallel path reproduces a PyTorch run bit for bit (core-internal).
#include <ATen/ATen.h>

#include <optional>

#include "maxstate/layer.h"

namespace maxstate::detail {

struct LayerTensors {
  Variant variant = Variant::OpenAsh;
  int64_t dim = 0, heads = 0, headDim = 0;
  at::Tensor combined;                        // [4d, d] float32
  at::Tensor alpha1, alpha2, alpha3, alpha4;  // 0-dim float32, as PyTorch's parameters
  at::Tensor headLinear;                      // [H, 5H] float32 (OpenASH) or undefined
};

// Checks shapes and converts to float32 tensors. Throws Error(Shape) naming what is wrong.
LayerTensors makeLayerTensors(const LayerWeights& w);

// The carried state between chunks: [1, dh, 1, H] values and their global source positions.
struct CarriedState {
  at::Tensor value;      // float32
  at::Tensor source;     // int64
  int64_t position = 0;  // number of tokens consumed so far
  bool empty() const { return !value.defined(); }
};

// What one run over a chunk produced, in record layout.
struct LayerResult {
  at::Tensor output;       // [S, d]
  at::Tensor state;        // [S, H, dh]   (undefined unless asked)
  at::Tensor source;       // [S, H, dh]   int64, global positions
  at::Tensor terms;        // [T, S, H, dh]
  at::Tensor moduleState;  // [1, dh, S, H] the state in the module's layout, always set (for summaries)
};

// x: [S, d] float32 (S >= 1). With `carry` empty this is the parallel run from position 0; otherwise the
// chunk continues after the carried state, which is updated in place.
LayerResult runLayer(const LayerTensors& w, const at::Tensor& x, CarriedState* carry, RecordOptions options);

}  // namespace maxstate::detail
