#include "trace/run_segment.h"

#include "maxstate/whatif.h"

namespace maxstate::detail {
namespace {

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
  ParallelRun run(m, x0, begin, carry, topK, edits);
  for (int l = 0; l < m.layerCount(); ++l) {
    progress.check();
    run.layer(l);
    progress.advance();
  }
  for (int64_t i = 0; i < run.headChunks(); ++i) {
    progress.check();
    run.head(i);
    progress.advance();
  }
  return run.take();
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

int64_t headChunkRows(int64_t vocab) {
  return std::clamp<int64_t>((int64_t{1} << 23) / std::max<int64_t>(vocab, 1), 1, 4096);
}

ParallelRun::ParallelRun(const ModelTensors& m, const at::Tensor& x0, int64_t begin,
                         std::vector<CarriedState>& carry, int64_t topK, const std::vector<LayerEdits>* edits)
    : m_model(m),
      m_carry(carry),
      m_edits(edits),
      m_topK(topK),
      m_x(x0),
      m_segment(emptySegment(m, begin, x0.size(0), false)) {}

void ParallelRun::layer(int l, RecordOptions record, LayerResult* result) {
  m_segment.streams.push_back(m_x);
  LayerResult att;
  m_x = runBlock(m_model, l, m_x, &m_carry[static_cast<size_t>(l)], record, &att, extrasOf(m_edits, l));
  m_segment.stateNorms.push_back(stateNorm(att.moduleState));
  m_segment.keptStates.resize(att.keptStates.size());
  for (size_t k = 0; k < att.keptStates.size(); ++k) m_segment.keptStates[k].push_back(att.keptStates[k]);
  att.keptStates.clear();
  if (l == m_model.layerCount() - 1) {
    m_segment.streams.push_back(m_x);
    if (hasHead(m_model)) allocateTop(m_model, m_segment, m_topK);
  }
  if (result) *result = std::move(att);
}

int64_t ParallelRun::headChunks() const {
  if (!hasHead(m_model)) return 0;
  const int64_t rows = headChunkRows(m_model.vocab);
  return (m_segment.length + rows - 1) / rows;
}

int64_t ParallelRun::headChunkBegin(int64_t i) const { return i * headChunkRows(m_model.vocab); }

at::Tensor ParallelRun::head(int64_t i) {
  const int64_t p = headChunkBegin(i), c = std::min(headChunkRows(m_model.vocab), m_segment.length - p);
  at::Tensor logits = headLogits(m_model, m_x.narrow(0, p, c));
  auto [ids, probs] = topPredictions(logits, m_topK);
  m_segment.topIds.narrow(0, p, c).copy_(ids);
  m_segment.topProbs.narrow(0, p, c).copy_(probs);
  return logits;
}

int64_t segmentWork(const ModelTensors& m, RunMode mode, int64_t n) {
  if (mode == RunMode::Step) return n;
  const int64_t rows = headChunkRows(m.vocab);
  return m.layerCount() + (hasHead(m) ? (n + rows - 1) / rows : 0);
}

Segment runSegment(const ModelTensors& m, const at::Tensor& x0, int64_t begin,
                   std::vector<CarriedState>& carry, RunMode mode, int64_t topK, ProgressTracker& progress,
                   const std::vector<LayerEdits>* edits) {
  return mode == RunMode::Step ? runSteps(m, x0, begin, carry, topK, progress, edits)
                               : runParallel(m, x0, begin, carry, topK, progress, edits);
}

}  // namespace maxstate::detail
