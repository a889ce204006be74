// streamStats: the sequence runs through the model a chunk at a time, each layer continuing from its carried
// state (SPEC.md section 1, "State and step-by-step running"), and only the statistics are kept: memory
// depends on the chunk, not on the length.
#include <cmath>
#include <functional>

#include "maxstate/error.h"
#include "maxstate/stats.h"
#include "model/model_core.h"
#include "stats/chunk_stats.h"
#include "trace/progress_tracker.h"
#include "util/tensor_convert.h"

namespace maxstate {

using namespace detail;

namespace {

// The chunk's input: the embedded ids or the rows of a bare layer's input.
using ChunkInput = std::function<at::Tensor(int64_t begin, int64_t n)>;

int64_t totalWork(const ModelTensors& m, int64_t length, int64_t chunk) {
  int64_t work = 0;
  for (int64_t begin = 0; begin < length; begin += chunk) {
    const int64_t n = std::min(chunk, length - begin);
    work += m.layerCount() + (m.kind == ModelKind::Model ? (n + logitRows(m) - 1) / logitRows(m) : 0);
  }
  return work;
}

LongContextStats stream(const ModelTensors& m, int64_t length, const ChunkInput& input,
                        const std::vector<int64_t>* ids, const StatsOptions& options,
                        const Progress& progress) {
  if (options.chunk < 1)
    throw Error(ErrorKind::Usage,
                "the chunk must be at least 1 position, got " + std::to_string(options.chunk));
  at::NoGradGuard noGrad;
  StatsTensors out = allocateStats(m.layerCount(), length, m.heads, ids != nullptr);
  std::vector<CarriedState> carry(static_cast<size_t>(m.layerCount()));
  ProgressTracker tracker(progress, totalWork(m, length, options.chunk));
  LayerRunExtras extras;
  extras.keepModuleSource = true;
  for (int64_t begin = 0; begin < length; begin += options.chunk) {
    const int64_t n = std::min(options.chunk, length - begin);
    at::Tensor x = input(begin, n);
    for (int l = 0; l < m.layerCount(); ++l) {
      tracker.check();
      LayerResult att;
      x = runBlock(m, l, x, &carry[static_cast<size_t>(l)], {false, false}, &att, extras);
      writeChunkStats(out, l, begin, att.moduleState, att.moduleSource);
      tracker.advance();
    }
    if (!ids) continue;
    for (int64_t p = 0; p < n; p += logitRows(m)) {
      tracker.check();
      writeBlockNll(out, m, x.narrow(0, p, std::min(logitRows(m), n - p)), begin + p, *ids);
      tracker.advance();
    }
  }
  LongContextStats s;
  s.length = length;
  s.stateNorm = toFloatArray(out.stateNorm);
  s.stateMax = toFloatArray(out.stateMax);
  s.writeRate = toFloatArray(out.writeRate);
  s.sourceAge = toFloatArray(out.sourceAge);
  if (ids) s.nll = toFloatArray(out.nll);
  return s;
}

const ModelTensors& tensorsOf(const Model& model) { return model.impl().core->tensors; }

}  // namespace

LongContextStats streamStats(const Model& model, const std::vector<int64_t>& ids, const StatsOptions& options,
                             const Progress& progress) {
  const ModelTensors& m = tensorsOf(model);
  if (m.kind != ModelKind::Model) {
    throw Error(ErrorKind::Usage,
                "this is a bare MaxStateSuper layer: it reads an input of shape [S, d] (--input x.npy), not "
                "token ids");
  }
  if (ids.empty()) throw Error(ErrorKind::Usage, "nothing to run: the list of token ids is empty");
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] < 0 || ids[i] >= m.vocab) {
      throw Error(ErrorKind::Usage, "token id " + std::to_string(ids[i]) + " at position " +
                                        std::to_string(i) + " is outside the model's vocabulary (ids 0.." +
                                        std::to_string(m.vocab - 1) +
                                        "): check that the ids or the vocabulary file belong to this model");
    }
  }
  // The chunk's ids only: embedding the whole sequence at once would be [S, d], growing with the length.
  auto input = [&](int64_t begin, int64_t n) {
    return embed(m, std::vector<int64_t>(ids.begin() + begin, ids.begin() + begin + n));
  };
  return stream(m, static_cast<int64_t>(ids.size()), input, &ids, options, progress);
}

LongContextStats streamInputStats(const Model& model, const FloatArray& x, const StatsOptions& options,
                                  const Progress& progress) {
  const ModelTensors& m = tensorsOf(model);
  if (m.kind != ModelKind::Layer) {
    throw Error(ErrorKind::Usage,
                "this is a whole model: run it on token ids (--ids, --ids-file or --text), not an input");
  }
  if (x.ndim() != 2 || x.dim(1) != m.dim || x.dim(0) < 1) {
    throw Error(ErrorKind::Shape, "the input has shape " + shapeToString(x.shape()) + ", expected [S, " +
                                      std::to_string(m.dim) + "] (S >= 1 positions of the layer's width " +
                                      std::to_string(m.dim) + ")");
  }
  for (int64_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i])) {
      throw Error(ErrorKind::Usage, "the input holds a non-finite value (" + std::to_string(x[i]) +
                                        ") at row " + std::to_string(i / m.dim) + ", column " +
                                        std::to_string(i % m.dim));
    }
  }
  const at::Tensor all = toTensor(x);
  auto input = [&](int64_t begin, int64_t n) { return all.narrow(0, begin, n); };
  return stream(m, x.dim(0), input, nullptr, options, progress);
}

}  // namespace maxstate
