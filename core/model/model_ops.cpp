#include "model/model_ops.h"

#include "maxstate/error.h"
#include "util/tensor_convert.h"

namespace maxstate::detail {
namespace {

void expectShape(const std::string& name, const FloatArray& a, const Shape& expected) {
  if (a.shape() != expected) {
    throw Error(ErrorKind::Shape,
                name + " has shape " + shapeToString(a.shape()) + ", expected " + shapeToString(expected));
  }
}

DecoderTensors makeDecoderTensors(const DecoderLayerWeights& w, int index, int64_t dim, bool bare) {
  const std::string prefix = "decoder_layers." + std::to_string(index) + ".";
  DecoderTensors t;
  try {
    t.attention = makeLayerTensors(w.attention);
  } catch (const Error& e) {
    if (bare || e.kind() != ErrorKind::Shape) throw;
    throw Error(e.kind(), prefix + "self_attention_linear." + e.what());
  }
  if (bare) return t;
  if (t.attention.dim != dim) {
    throw Error(ErrorKind::Shape, prefix + "self_attention_linear.combined.weight has shape " +
                                      shapeToString(w.attention.combined.shape()) + ", expected " +
                                      shapeToString({4 * dim, dim}) + " (the embedding's width is " +
                                      std::to_string(dim) + ")");
  }
  const Shape square{dim, dim}, vec{dim};
  expectShape(prefix + "ffn.ffn1.weight", w.ffn1Weight, square);
  expectShape(prefix + "ffn.ffn1.bias", w.ffn1Bias, vec);
  expectShape(prefix + "ffn.gate.weight", w.gateWeight, square);
  expectShape(prefix + "ffn.gate.bias", w.gateBias, vec);
  expectShape(prefix + "ffn.ffn2.weight", w.ffn2Weight, square);
  expectShape(prefix + "ffn.ffn2.bias", w.ffn2Bias, vec);
  expectShape(prefix + "layer_norm.weight", w.normWeight, vec);
  expectShape(prefix + "layer_norm.bias", w.normBias, vec);
  t.ffn1Weight = toTensor(w.ffn1Weight);
  t.ffn1Bias = toTensor(w.ffn1Bias);
  t.gateWeight = toTensor(w.gateWeight);
  t.gateBias = toTensor(w.gateBias);
  t.ffn2Weight = toTensor(w.ffn2Weight);
  t.ffn2Bias = toTensor(w.ffn2Bias);
  t.normWeight = toTensor(w.normWeight);
  t.normBias = toTensor(w.normBias);
  t.alpha = at::scalar_tensor(w.residualAlpha, at::kFloat);
  t.oneMinusAlpha = 1 - t.alpha;  // the module's `(1 - self.alpha)`: rsub on a 0-dim float32 tensor
  return t;
}

}  // namespace

ModelTensors makeModelTensors(const ModelWeights& w) {
  ModelTensors m;
  m.kind = w.info.kind;
  const bool bare = m.kind == ModelKind::Layer;
  if (w.layers.empty()) throw Error(ErrorKind::Shape, "the model has no decoder layers");
  if (bare && w.layers.size() != 1) {
    throw Error(ErrorKind::Shape,
                "a bare layer has exactly one layer, got " + std::to_string(w.layers.size()));
  }
  if (!bare) {
    if (w.embedding.ndim() != 2 || w.embedding.dim(0) == 0 || w.embedding.dim(1) == 0) {
      throw Error(ErrorKind::Shape, "em.weight has shape " + shapeToString(w.embedding.shape()) +
                                        ", expected [V, d] with V, d > 0");
    }
    m.vocab = w.embedding.dim(0);
    m.dim = w.embedding.dim(1);
    expectShape("head_score.weight", w.headScore, {m.vocab, m.dim});
    m.embedding = toTensor(w.embedding);
    m.headScore = toTensor(w.headScore);
  }
  for (size_t i = 0; i < w.layers.size(); ++i) {
    m.layers.push_back(makeDecoderTensors(w.layers[i], static_cast<int>(i), m.dim, bare));
    const LayerTensors& a = m.layers.back().attention;
    if (i == 0) {
      m.dim = a.dim;
      m.heads = a.heads;
      m.headDim = a.headDim;
      m.variant = a.variant;
    } else if (a.heads != m.heads || a.variant != m.variant) {
      throw Error(ErrorKind::Shape, "decoder_layers." + std::to_string(i) + " has " +
                                        std::to_string(a.heads) + " heads of the " + variantName(a.variant) +
                                        " variant, layer 0 has " + std::to_string(m.heads) + " of the " +
                                        variantName(m.variant) + " variant");
    }
  }
  return m;
}

at::Tensor embed(const ModelTensors& m, const std::vector<int64_t>& ids) {
  // from_blob does not copy: the ids outlive the call.
  at::Tensor index =
      at::from_blob(const_cast<int64_t*>(ids.data()), {static_cast<int64_t>(ids.size())}, at::kLong);
  return at::embedding(m.embedding, index);
}

at::Tensor runBlock(const ModelTensors& m, int layer, const at::Tensor& x, CarriedState* carry,
                    RecordOptions options, LayerResult* attention, const LayerRunExtras& extras) {
  const DecoderTensors& w = m.layers[static_cast<size_t>(layer)];
  LayerResult r = runLayer(w.attention, x, carry, options, extras);
  if (m.kind == ModelKind::Layer) {
    at::Tensor out = r.output;
    if (attention) *attention = std::move(r);
    return out;
  }
  // DecoderLayer.forward on [1, S, d], operation by operation:
  //   block = layer_norm(alpha * ffn2(ffn1(x1) * relu(gate(x1))) + (1 - alpha) * x);  return block + x
  const at::Tensor x1 = r.output.unsqueeze(0);
  const at::Tensor xb = x.unsqueeze(0);
  // In place where PyTorch makes a temporary: the same float operations, fewer fresh pages to fault in.
  at::Tensor hidden = at::linear(x1, w.ffn1Weight, w.ffn1Bias);
  hidden.mul_(at::linear(x1, w.gateWeight, w.gateBias).relu_());
  at::Tensor mixed = at::linear(hidden, w.ffn2Weight, w.ffn2Bias);
  at::mul_out(hidden, w.oneMinusAlpha, xb);  // the FFN input is no longer needed: reuse it
  mixed.mul_(w.alpha).add_(hidden);
  at::Tensor out = at::layer_norm(mixed, {m.dim}, w.normWeight, w.normBias, 1e-5);
  out.add_(xb);
  if (attention) *attention = std::move(r);
  return out.squeeze(0);
}

at::Tensor headLogits(const ModelTensors& m, const at::Tensor& x) {
  return at::linear(x.unsqueeze(0), m.headScore).squeeze(0);
}

at::Tensor stateNorm(const at::Tensor& moduleState) {
  return at::linalg_vector_norm(moduleState, 2, at::IntArrayRef{1}).squeeze(0);
}

}  // namespace maxstate::detail
