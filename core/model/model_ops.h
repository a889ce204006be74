#pragma once
// The OpenASH model around the layer (SPEC.md section 2) on ATen tensors (core-internal). Every step uses
// PyTorch's own operation on a tensor of the shape the PyTorch module sees ([1, S, d]), so that a parallel
// run reproduces the reference bit for bit.
#include <ATen/ATen.h>

#include <vector>

#include "maxstate/architecture.h"
#include "model/layer_ops.h"
#include "model/top_predictions.h"

namespace maxstate::detail {

struct DecoderTensors {
  LayerTensors attention;
  at::Tensor ffn1Weight, ffn1Bias, gateWeight, gateBias, ffn2Weight, ffn2Bias;  // [d, d], [d]
  at::Tensor normWeight, normBias;                                              // [d]
  at::Tensor alpha;          // 0-dim, as the module's parameter
  at::Tensor oneMinusAlpha;  // 0-dim: `1 - self.alpha`, computed once the way PyTorch computes it
};

// A whole model, or (kind Layer) one bare MaxStateSuper layer with no embedding, FFN or head.
struct ModelTensors {
  ModelKind kind = ModelKind::Model;
  Variant variant = Variant::OpenAsh;
  int64_t vocab = 0, dim = 0, heads = 0, headDim = 0;
  at::Tensor embedding;  // [V, d]
  std::vector<DecoderTensors> layers;
  at::Tensor headScore;  // [V, d]

  int layerCount() const { return static_cast<int>(layers.size()); }
};

// Checks every shape against the others (Error(Shape) naming the state-dict key, its shape and the shape
// expected) and wraps the weights without copying them.
ModelTensors makeModelTensors(const ModelWeights& w);

// em(ids): [S, d]. Ids must have been checked against the vocabulary.
at::Tensor embed(const ModelTensors& m, const std::vector<int64_t>& ids);

// One decoder layer (or the bare layer) on x [S, d]: returns the residual stream after it, [S, d].
// `attention` receives what the MaxStateSuper layer produced (its output is x1, the FFN's input).
at::Tensor runBlock(const ModelTensors& m, int layer, const at::Tensor& x, CarriedState* carry,
                    RecordOptions options, LayerResult* attention, const LayerRunExtras& extras = {});

// head_score(x) for x [n, d]: logits [n, V].
at::Tensor headLogits(const ModelTensors& m, const at::Tensor& x);

// L2 norm of each head's state: [1, dh, S, H] -> [S, H].
at::Tensor stateNorm(const at::Tensor& moduleState);

}  // namespace maxstate::detail
