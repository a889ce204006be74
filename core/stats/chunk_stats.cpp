#include "stats/chunk_stats.h"

namespace maxstate::detail {

StatsTensors allocateStats(int layers, int64_t length, int64_t heads, bool withNll) {
  const auto f32 = at::TensorOptions().dtype(at::kFloat);
  StatsTensors s;
  for (at::Tensor* t : {&s.stateNorm, &s.stateMax, &s.writeRate, &s.sourceAge})
    *t = at::empty({layers, length, heads}, f32);
  if (withNll) s.nll = at::empty({std::max<int64_t>(length - 1, 0)}, f32);
  return s;
}

void writeChunkStats(StatsTensors& out, int layer, int64_t begin, const at::Tensor& state,
                     const at::Tensor& source) {
  const int64_t n = state.size(2), dh = state.size(1);
  auto slice = [&](at::Tensor& t) { return t[layer].narrow(0, begin, n); };
  // The norm exactly as a Trace keeps it (stateNorm), so that both agree bit for bit.
  slice(out.stateNorm).copy_(stateNorm(state));
  // max |e| without an |e| temporary of the whole state.
  slice(out.stateMax).copy_(at::maximum(state.amax(1), state.amin(1).neg()).squeeze(0));
  // Counts and ages are whole numbers, summed exactly; divided in float64, then stored as float32. Summed as
  // dh * t - sum_j src and as float32 counts (exact up to 2^24 channels): a broadcast int64 temporary of the
  // whole state and a sum of bools over a strided axis cost ~25x more (0.4 s per layer and 8192 tokens).
  const auto i64 = at::TensorOptions().dtype(at::kLong);
  const at::Tensor t = at::arange(begin, begin + n, i64).view({1, 1, n, 1});
  slice(out.writeRate).copy_(source.eq(t).to(at::kFloat).sum(1).squeeze(0).to(at::kDouble).div_(dh));
  const at::Tensor held = at::arange(begin, begin + n, i64).mul_(dh).view({n, 1});
  slice(out.sourceAge).copy_(held.sub(source.sum(1).squeeze(0)).to(at::kDouble).div_(dh));
}

int64_t logitRows(const ModelTensors& m) {
  return std::clamp<int64_t>((int64_t{1} << 23) / std::max<int64_t>(m.vocab, 1), 1, 4096);
}

void writeBlockNll(StatsTensors& out, const ModelTensors& m, const at::Tensor& x, int64_t begin,
                   const std::vector<int64_t>& ids) {
  const int64_t total = static_cast<int64_t>(ids.size());
  const int64_t count = std::min<int64_t>(x.size(0), total - 1 - begin);  // rows with a next token
  if (count <= 0) return;
  const at::Tensor logits = headLogits(m, x.narrow(0, 0, count));
  const at::Tensor next = at::from_blob(const_cast<int64_t*>(ids.data()) + begin + 1, {count, 1},
                                        at::TensorOptions().dtype(at::kLong));
  // log_softmax, as SPEC.md says: LibTorch 1.13's logsumexp is ~5x slower on these rows.
  out.nll.narrow(0, begin, count).copy_(at::log_softmax(logits, 1).gather(1, next).squeeze(1).neg_());
}

}  // namespace maxstate::detail
