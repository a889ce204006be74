#pragma once
// The layer's maths on ATen tensors, in PyTorch's own layout ([1, dh, S, H] per branch) and with PyTorch's
// own operations, so that the parallel path reproduces a PyTorch run bit for bit (core-internal).
#include <ATen/ATen.h>

#include <optional>

#include "maxstate/layer.h"
#include "model/state_edits.h"

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

// What runLayer does besides the plain run: interventions (what-if runs), and the carried states it keeps
// every `keepStatesEvery` positions (after position p - 1 for every p that is a multiple of it, p <= the
// chunk's end), so that a what-if run can start near any position.
struct LayerRunExtras {
  const LayerEdits* edits = nullptr;
  int64_t keepStatesEvery = 0;
  // Keep the sources in the module's layout (LayerResult::moduleSource) without the record's copies: what
  // the long-context statistics need of a chunk.
  bool keepModuleSource = false;
};

// What one run over a chunk produced, in record layout.
struct LayerResult {
  at::Tensor output;       // [S, d]
  at::Tensor state;        // [S, H, dh]   (undefined unless asked)
  at::Tensor source;       // [S, H, dh]   int64, global positions
  at::Tensor terms;        // [T, S, H, dh]
  at::Tensor moduleState;  // [1, dh, S, H] the state in the module's layout, always set (for summaries)
  // [1, dh, S, H] int64, global positions (LayerRunExtras::keepModuleSource)
  at::Tensor moduleSource;
  std::vector<CarriedState> keptStates;  // LayerRunExtras::keepStatesEvery
};

// x: [S, d] float32 (S >= 1). With `carry` empty this is the parallel run from position 0; otherwise the
// chunk continues after the carried state, which is updated in place.
// With edits, the carried state is the running max with its knock-outs (zero and freeze only overwrite what
// the terms see); a freeze from P needs position P - 1 in the chunk or as the carried state.
LayerResult runLayer(const LayerTensors& w, const at::Tensor& x, CarriedState* carry, RecordOptions options,
                     const LayerRunExtras& extras = {});

}  // namespace maxstate::detail
