#pragma once
// Running a whole OpenASH-family model (or a bare layer) over a sequence and keeping what the views show.
// Memory stays bounded: every layer's input and small summaries are kept; a layer's full record (states,
// sources, terms) is recomputed on demand from its stored input and cached for recently viewed layers.
#include <atomic>
#include <functional>
#include <memory>
#include <vector>

#include "maxstate/architecture.h"
#include "maxstate/layer.h"

namespace maxstate {

struct Prediction {
  int64_t token = 0;
  float probability = 0;
};

// Long work reports (done, total) and stops with Error(Cancelled) once *cancel becomes true.
struct Progress {
  std::function<void(int64_t done, int64_t total)> report;
  const std::atomic<bool>* cancel = nullptr;
};

enum class RunMode { Parallel, Step };

struct TraceOptions {
  RunMode mode = RunMode::Parallel;
  int topK = 10;
  bool logitLens = true;
};

class Trace {
 public:
  virtual ~Trace() = default;
  virtual const ModelInfo& info() const = 0;
  virtual int64_t length() const = 0;
  virtual int layerCount() const = 0;
  virtual const std::vector<int64_t>& tokens() const = 0;  // empty for a bare layer traced from an input

  // The full record of one layer for every position; thread-safe, cached for recently used layers.
  virtual std::shared_ptr<const LayerRecord> layer(int index) const = 0;
  virtual FloatArray layerInput(int index) const = 0;  // [S, d]
  virtual FloatArray stateNorm(int index) const = 0;   // [S, H]: L2 norm of each head's state, kept for every layer

  // Models only: top-k next-token predictions after the last layer, and per layer (logit lens) at `pos`.
  virtual std::vector<Prediction> predictions(int64_t pos) const = 0;
  virtual std::vector<std::vector<Prediction>> logitLens(int64_t pos) const = 0;  // [layer][k]
  virtual FloatArray logits(int64_t begin, int64_t end) const = 0;  // [end - begin, V], computed on demand
};

class Model {
 public:
  explicit Model(ModelWeights weights);  // validates shapes; throws Error(Shape)
  ~Model();
  Model(Model&&) noexcept;
  const ModelInfo& info() const;
  const ModelWeights& weights() const;

  // Models: token ids. Throws Error(Usage) for an id outside the vocabulary.
  std::shared_ptr<const Trace> trace(const std::vector<int64_t>& ids, const TraceOptions& options = {},
                                     const Progress& progress = {}) const;
  // Bare layers: input [S, d].
  std::shared_ptr<const Trace> traceInput(const FloatArray& x, const TraceOptions& options = {},
                                          const Progress& progress = {}) const;
  // Extends a trace of this model by running step by step from its carried state (O(1) per token in the
  // history). The old trace stays valid.
  std::shared_ptr<const Trace> append(const Trace& trace, const std::vector<int64_t>& ids,
                                      const Progress& progress = {}) const;

  struct Impl;

 private:
  std::unique_ptr<Impl> m_impl;
};

}  // namespace maxstate
