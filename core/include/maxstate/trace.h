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

// Parallel: each layer runs once over the whole sequence (one cummax), bit for bit what the PyTorch module
// computes. Step: one token at a time through every layer, carrying each layer's state (O(1) per token in the
// history). Both give the same numbers up to the rounding of the projections (README, "Step and parallel
// runs").
struct TraceOptions {
  RunMode mode = RunMode::Parallel;
  int topK = 10;  // predictions kept per position (models); at least 1
  // Whether logitLens() is offered. It is computed on demand, per position, from the stored layer streams:
  // applying the head to every layer at every position would cost the whole run many times over.
  bool logitLens = true;
  // Full layer records (states, sources, terms) are recomputed on demand and the most recently used ones kept
  // up to this many bytes (the most recent one is always kept). A record takes 4 * S * d * (T + 4) bytes:
  // ~63 MB for 2048 tokens at d=768 (4 layers fit), ~250 MB for 8192 (one fits: the 2 GB budget of such a
  // trace).
  int64_t recordCacheBytes = int64_t{256} << 20;
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
  virtual FloatArray stateNorm(
      int index) const = 0;  // [S, H]: L2 norm of each head's state, kept for every layer

  // Models only (empty for a bare layer): top-k next-token predictions after the last layer, and per layer
  // (logit lens: head_score applied to the residual stream after that layer) at `pos`. Error(Usage) for a
  // position outside the trace, and for logitLens() when the trace was made with logitLens = false.
  virtual std::vector<Prediction> predictions(int64_t pos) const = 0;
  virtual std::vector<std::vector<Prediction>> logitLens(int64_t pos) const = 0;  // [layer][k]
  // Error(Usage) for a bare layer (it has no head) or a range outside the trace.
  virtual FloatArray logits(int64_t begin, int64_t end) const = 0;  // [end - begin, V], computed on demand

  virtual const TraceOptions& options() const = 0;
  // Layers whose full record is cached right now, least recently used first (for tests and memory displays).
  virtual std::vector<int> cachedLayers() const = 0;
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
  // Extends a trace of this model by running from its carried state (O(1) per token in the history): one
  // token at a time for a Step trace (identical to one longer step run), the new ids as one chunk for a
  // Parallel trace (equal to one longer parallel run up to projection rounding). The old trace stays valid
  // and shares its data. Error(Usage) for a trace of another model or of a bare layer.
  std::shared_ptr<const Trace> append(const Trace& trace, const std::vector<int64_t>& ids,
                                      const Progress& progress = {}) const;

  struct Impl;
  const Impl& impl() const { return *m_impl; }

 private:
  std::unique_ptr<Impl> m_impl;
};

}  // namespace maxstate
