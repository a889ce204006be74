#include "model/layer_ops.h"

#include "maxstate/error.h"
#include "model/state_edit_ops.h"
#include "util/tensor_convert.h"

namespace maxstate::detail {
namespace {

at::Tensor scalar(float v) { return at::scalar_tensor(v, at::kFloat); }

void expectShape(const char* name, const FloatArray& a, const Shape& expected) {
  if (a.shape() != expected) {
    throw Error(ErrorKind::Shape, std::string(name) + " has shape " + shapeToString(a.shape()) +
                                      ", expected " + shapeToString(expected));
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
  if (w.variant == Variant::OpenAsh && w.heads <= 0 && w.headLinear.ndim() == 2)
    t.heads = w.headLinear.dim(0);
  else
    t.heads = w.heads;
  if (t.heads <= 0) {
    throw Error(
        ErrorKind::Usage,
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

LayerResult runLayer(const LayerTensors& w, const at::Tensor& x, CarriedState* carry, RecordOptions options,
                     const LayerRunExtras& extras) {
  const int64_t S = x.size(0);
  if (x.dim() != 2 || x.size(1) != w.dim || S == 0) {
    throw Error(ErrorKind::Shape, "layer input has shape " +
                                      shapeToString(Shape(x.sizes().begin(), x.sizes().end())) +
                                      ", expected [S, " + std::to_string(w.dim) + "] with S >= 1");
  }
  const int64_t H = w.heads, dh = w.headDim;
  // The module's Linear, then its four branches ([b, dh, s, H] views of the projection) copied into one
  // contiguous [4, dh, S, H] block: every elementwise step below then runs on contiguous memory. Each element
  // is still computed by the same float operations as in the module, so results are bit-identical.
  at::Tensor branches =
      at::linear(x.unsqueeze(0), w.combined).view({S, 4, H, dh}).permute({1, 3, 0, 2}).contiguous();
  const at::Tensor a = branches[0].unsqueeze(0);
  const at::Tensor b = branches[1].unsqueeze(0);
  const at::Tensor c = branches[2].unsqueeze(0);
  const at::Tensor d = branches[3].unsqueeze(0);

  at::Tensor e, idx;
  const bool carried = carry && !carry->empty();
  const int64_t begin = carried ? carry->position : 0;
  const at::Tensor before = carried ? carry->value : at::Tensor(),
                   beforeSource = carried ? carry->source : at::Tensor();
  const at::Tensor cm = extras.edits ? knockedOut(c, *extras.edits, begin) : c;  // what the running max sees
  if (carried) {
    // cummax over [state, chunk], then drop the state's own position. Index 0 is the carried state.
    auto [v, i] = at::cummax(at::cat({carry->value, cm}, 2), 2);
    e = v.narrow(2, 1, S);
    at::Tensor local = i.narrow(2, 1, S);
    at::Tensor global = local + (begin - 1);
    idx = at::where(local == 0, carry->source.expand_as(local), global);
  } else {
    auto [v, i] = at::cummax(cm, 2);
    e = v;
    idx = i;
  }
  if (carry) {
    carry->value = e.narrow(2, S - 1, 1).contiguous();
    carry->source = idx.narrow(2, S - 1, 1).contiguous();
    carry->position = begin + S;
  }
  LayerResult r;
  for (int64_t every = extras.keepStatesEvery, p = every > 0 ? (begin / every + 1) * every : 0;
       every > 0 && p <= begin + S; p += every) {
    r.keptStates.push_back(
        {e.narrow(2, p - 1 - begin, 1).clone(), idx.narrow(2, p - 1 - begin, 1).clone(), p});
  }
  if (extras.edits) overwriteState(e, idx, *extras.edits, begin, before, beforeSource);
  if (extras.keepModuleSource) r.moduleSource = idx;
  if (!options.stateAndSource) idx.reset();  // 8 bytes per cell: not kept longer than needed

  // [1, dh, S, H] -> [S, H, dh]
  auto toRecord = [](const at::Tensor& t) { return t.squeeze(0).permute({1, 2, 0}); };
  if (options.terms) r.terms = at::empty({termCount(w.variant), S, H, dh}, at::kFloat);
  // Each term as it enters the sum: a dropped term (what-if runs) is zero where it is left out.
  auto keep = [&](int64_t k, at::Tensor& term) {
    if (extras.edits) dropTerm(term, static_cast<int>(k), *extras.edits, begin);
    if (options.terms) r.terms[k].copy_(toRecord(term));
  };

  // T6 first: its concatenated input is the largest temporary, freed before the sum's buffers exist.
  at::Tensor t6;
  if (w.variant == Variant::OpenAsh) {
    t6 = at::linear(at::cat({a, b, c, d, e}, -1), w.headLinear);
    t6.mul_(e);
    keep(5, t6);
  }

  // gen_model: y = a*b + (alpha1*b + alpha2*d) + a*(alpha3*e + d) + b*(c + e) + c*e [+ head_linear(...)*e],
  // summed left to right as the module does, with one scratch tensor instead of a temporary per operation.
  at::Tensor y = a * b;
  keep(0, y);
  at::Tensor t = w.alpha1 * b;
  t.add_(w.alpha2 * d);
  keep(1, t);
  y.add_(t);
  at::mul_out(t, w.alpha3, e).add_(d).mul_(a);
  keep(2, t);
  y.add_(t);
  at::add_out(t, c, e).mul_(b);
  keep(3, t);
  y.add_(t);
  at::mul_out(t, c, e);
  keep(4, t);
  y.add_(t);
  if (t6.defined()) y.add_(t6);

  r.moduleState = e;
  r.output = y.transpose(1, 2).contiguous().view({S, w.dim});
  if (options.stateAndSource) {
    r.state = toRecord(e).contiguous();
    r.source = toRecord(idx).contiguous();
  }
  return r;
}

}  // namespace maxstate::detail
