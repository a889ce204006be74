#include "trace/run_segment.h"

#include "maxstate/whatif.h"

namespace maxstate::detail {
namespace {

// Rows of logits computed at once: the whole [n, V] matrix would not fit for long traces of real
// vocabularies.
int64_t headChunkRows(const ModelTensors& m) {
  return std::clamp<int64_t>((int64_t{1} << 23) / std::max<int64_t>(m.vocab, 1), 1, 4096);
}

bool hasHead(const ModelTensors& m) { return m.kind == ModelKind::Model; }

LayerRunExtras extrasOf(const std::vector<LayerEdits>* edits, int layer) {
  const LayerEdits* mine = edits ? &(*edits)[static_cast<size_t>(layer)] : nullptr;
  return {mine && !mine->empty() ? mine : nullptr, kStatePositions};
}

Segment emptySegment(const ModelTensors& m, int64_t begin, int64_t n, bool allocate) {
  Segment s;
  s.begin = begin;
  s.length = n;
  if (!allocate) return s;
  const auto f32 = at::TensorOptions().dtype(at::kFloat);
  for (int l = 0; l <= m.layerCount(); ++l) s.streams.push_back(at::empty({n, m.dim}, f32));
  for (int l = 0; l < m.layerCount(); ++l) s.stateNorms.push_back(at::empty({n, m.heads}, f32));
  return s;
}

void allocateTop(const ModelTensors& m, Segment& s, int64_t topK) {
  const int64_t k = std::min<int64_t>(topK, m.vocab);
  s.topIds = at::empty({s.length, k}, at::kLong);
  s.topProbs = at::empty({s.length, k}, at::kFloat);
}

Segment runParallel(const ModelTensors& m, const at::Tensor& x0, int64_t begin,
                    std::vector<CarriedState>& carry, int64_t topK, ProgressTracker& progress,
                    const std::vector<LayerEdits>* edits) {
  const int64_t n = x0.size(0);
  Segment s = emptySegment(m, begin, n, false);
  at::Tensor x = x0;
  for (int l = 0; l < m.layerCount(); ++l) {
    progress.check();
    s.streams.push_back(x);
    LayerResult att;
    x = runBlock(m, l, x, &carry[static_cast<size_t>(l)], {false, false}, &att, extrasOf(edits, l));
    s.stateNorms.push_back(stateNorm(att.moduleState));
    s.keptStates.resize(att.keptStates.size());
    for (size_t k = 0; k < att.keptStates.size(); ++k) s.keptStates[k].push_back(att.keptStates[k]);
    progress.advance();
  }
  s.streams.push_back(x);
  if (!hasHead(m)) return s;
  allocateTop(m, s, topK);
  const int64_t rows = headChunkRows(m);
  for (int64_t p = 0; p < n; p += rows) {
    progress.check();
    const int64_t c = std::min(rows, n - p);
    auto [ids, probs] = topPredictions(headLogits(m, x.narrow(0, p, c)), topK);
    s.topIds.narrow(0, p, c).copy_(ids);
    s.topProbs.narrow(0, p, c).copy_(probs);
    progress.advance();
  }
  return s;
}

Segment runSteps(const ModelTensors& m, const at::Tensor& x0, int64_t begin, std::vector<CarriedState>& carry,
                 int64_t topK, ProgressTracker& progress, const std::vector<LayerEdits>* edits) {
  const int64_t n = x0.size(0);
  Segment s = emptySegment(m, begin, n, true);
  if (hasHead(m)) allocateTop(m, s, topK);
  for (int64_t t = 0; t < n; ++t) {
    progress.check();
    at::Tensor x = x0.narrow(0, t, 1);
    for (int l = 0; l < m.layerCount(); ++l) {
      s.streams[static_cast<size_t>(l)][t].copy_(x[0]);
      LayerResult att;
      LayerRunExtras extras = extrasOf(edits, l);
      extras.keepStatesEvery = 0;  // the carried states themselves are kept below
      x = runBlock(m, l, x, &carry[static_cast<size_t>(l)], {false, false}, &att, extras);
      s.stateNorms[static_cast<size_t>(l)][t].copy_(stateNorm(att.moduleState)[0]);
    }
    if ((begin + t + 1) % kStatePositions == 0) s.keptStates.push_back(carry);
    s.streams.back()[t].copy_(x[0]);
    if (hasHead(m)) {
      auto [ids, probs] = topPredictions(headLogits(m, x), topK);
      s.topIds[t].copy_(ids[0]);
      s.topProbs[t].copy_(probs[0]);
    }
    progress.advance();
  }
  return s;
}

}  // namespace

int64_t segmentWork(const ModelTensors& m, RunMode mode, int64_t n) {
  if (mode == RunMode::Step) return n;
  const int64_t rows = headChunkRows(m);
  return m.layerCount() + (hasHead(m) ? (n + rows - 1) / rows : 0);
}

Segment runSegment(const ModelTensors& m, const at::Tensor& x0, int64_t begin,
                   std::vector<CarriedState>& carry, RunMode mode, int64_t topK, ProgressTracker& progress,
                   const std::vector<LayerEdits>* edits) {
  return mode == RunMode::Step ? runSteps(m, x0, begin, carry, topK, progress, edits)
                               : runParallel(m, x0, begin, carry, topK, progress, edits);
}

}  // namespace maxstate::detail
