#include "model/layer_ops.h"

#include "maxstate/error.h"
#include "util/tensor_convert.h"

namespace maxstate::detail {
namespace {

at::Tensor scalar(float v) { return at::scalar_tensor(v, at::kFloat); }

void expectShape(const char* name, const FloatArray& a, const Shape& expected) {
  if (a.shape() != expected) {
    throw Error(ErrorKind::Shape, std::string(name) + " has shape " + shapeToString(a.shape()) + ", expected " +
                                      shapeToString(expected));
  }
}

}  // namespace

LayerTensors makeLayerTensors(const LayerWeights& w) {
  if (w.combined.ndim() != 2 || w.combined.dim(0) != 4 * w.combined.dim(1) || w.combined.dim(1) == 0) {
    throw Error(ErrorKind::Shape, "combined.weight has shape " + shapeToString(w.combined.shape()) +
                                      ", expected [4d, d] with d > 0");
  }
  LayerTensors t;
  t.variant = w.variant;
  t.dim = w.combined.dim(1);
  if (w.variant == Variant::OpenAsh && w.heads <= 0 && w.headLinear.ndim() == 2) t.heads = w.headLinear.dim(0);
  else t.heads = w.heads;
  if (t.heads <= 0) {
    throw Error(ErrorKind::Usage,
                "the number of heads is not known for this seed-variant layer: pass --heads N (or a side file "
                "<checkpoint>.json with {\"heads\": N})");
  }
  if (t.dim % t.heads != 0) {
    throw Error(ErrorKind::Shape, "hidden size " + std::to_string(t.dim) + " is not divisible by " +
                                      std::to_string(t.heads) + " heads");
  }
  t.headDim = t.dim / t.heads;
  t.combined = toTensor(w.combined);
  t.alpha1 = scalar(w.alpha1);
  t.alpha2 = scalar(w.alpha2);
  t.alpha3 = scalar(w.alpha3);
  t.alpha4 = scalar(w.alpha4);
  if (w.variant == Variant::OpenAsh) {
    expectShape("head_linear.weight", w.headLinear, {t.heads, 5 * t.heads});
    t.headLinear = toTensor(w.headLinear);
  }
  return t;
}

LayerResult runLayer(const LayerTensors& w, const at::Tensor& x, CarriedState* carry, RecordOptions options) {
  const int64_t S = x.size(0);
  if (x.dim() != 2 || x.size(1) != w.dim || S == 0) {
    throw Error(ErrorKind::Shape, "layer input has shape " + shapeToString(Shape(x.sizes().begin(), x.sizes().end())) +
                                      ", expected [S, " + std::to_string(w.dim) + "] with S >= 1");
  }
  // Exactly the module's forward: Linear, view [b, s, 4, H, dh], unbind, permute(0, 3, 1, 2) -> [b, dh, s, H].
  at::Tensor combined = at::linear(x.unsqueeze(0), w.combined).view({1, S, 4, w.heads, w.headDim});
  std::vector<at::Tensor> br = combined.unbind(2);
  at::Tensor a = br[0].permute({0, 3, 1, 2});
  at::Tensor b = br[1].permute({0, 3, 1, 2});
  at::Tensor c = br[2].permute({0, 3, 1, 2});
  at::Tensor d = br[3].permute({0, 3, 1, 2});

  at::Tensor e, idx;
  const bool carried = carry && !carry->empty();
  const int64_t begin = carried ? carry->position : 0;
  if (carried) {
    // cummax over [state, chunk], then drop the state's own position. Index 0 is the carried state.
    auto [v, i] = at::cummax(at::cat({carry->value, c}, 2), 2);
    e = v.narrow(2, 1, S);
    at::Tensor local = i.narrow(2, 1, S);
    at::Tensor global = local + (begin - 1);
    idx = at::where(local == 0, carry->source.expand_as(local), global);
  } else {
    auto [v, i] = at::cummax(c, 2);
    e = v;
    idx = i;
  }
  if (carry) {
    carry->value = e.narrow(2, S - 1, 1).contiguous();
    carry->source = idx.narrow(2, S - 1, 1).contiguous();
    carry->position = begin + S;
  }

  // gen_model, term by term, summed in the module's order.
  at::Tensor t1 = a * b;
  at::Tensor t2 = w.alpha1 * b + w.alpha2 * d;
  at::Tensor t3 = a * (w.alpha3 * e + d);
  at::Tensor t4 = b * (c + e);
  at::Tensor t5 = c * e;
  at::Tensor y = t1 + t2 + t3 + t4 + t5;
  std::vector<at::Tensor> terms = {t1, t2, t3, t4, t5};
  if (w.variant == Variant::OpenAsh) {
    at::Tensor t6 = at::linear(at::cat({a, b, c, d, e}, -1), w.headLinear) * e;
    y = y + t6;
    terms.push_back(t6);
  }

  LayerResult r;
  r.moduleState = e;
  r.output = y.transpose(1, 2).contiguous().view({S, w.dim});
  // [1, dh, S, H] -> [S, H, dh]
  auto toRecord = [](const at::Tensor& t) { return t.squeeze(0).permute({1, 2, 0}).contiguous(); };
  if (options.stateAndSource) {
    r.state = toRecord(e);
    r.source = toRecord(idx);
  }
  if (options.terms) {
    at::Tensor stacked = at::stack(terms, 0);  // [T, 1, dh, S, H]
    r.terms = stacked.squeeze(1).permute({0, 2, 3, 1}).contiguous();
  }
  return r;
}

}  // namespace maxstate::detail
