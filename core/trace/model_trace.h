#pragma once
// The Trace of a model or bare layer (core-internal): immutable segments of layer inputs and small summaries,
// full layer records recomputed on demand and cached. Every method is safe to call from several threads.
#include <memory>
#include <mutex>

#include "maxstate/trace.h"
#include "model/model_core.h"
#include "trace/record_cache.h"
#include "trace/segment.h"

namespace maxstate::detail {

struct TraceContent {
  SegmentList segments;
  std::vector<int64_t> tokens;      // empty for a bare layer
  std::vector<CarriedState> carry;  // per layer, after the last position: where an append continues
  int64_t length = 0;
  // What-if runs: every layer's interventions (model/state_edits.h), applied when a record is recomputed.
  std::shared_ptr<const std::vector<LayerEdits>> edits;
};

class ModelTrace final : public Trace {
 public:
  ModelTrace(std::shared_ptr<const ModelCore> core, const TraceOptions& options, TraceContent content);

  const ModelInfo& info() const override { return m_core->info; }
  int64_t length() const override { return m_content.length; }
  int layerCount() const override { return m_core->tensors.layerCount(); }
  const std::vector<int64_t>& tokens() const override { return m_content.tokens; }

  std::shared_ptr<const LayerRecord> layer(int index) const override;
  FloatArray layerInput(int index) const override;
  FloatArray stateNorm(int index) const override;

  std::vector<Prediction> predictions(int64_t pos) const override;
  std::vector<std::vector<Prediction>> logitLens(int64_t pos) const override;
  FloatArray logits(int64_t begin, int64_t end) const override;

  const TraceOptions& options() const override { return m_options; }
  std::vector<int> cachedLayers() const override { return m_cache.layers(); }

  const ModelCore* core() const { return m_core.get(); }
  const TraceContent& content() const { return m_content; }

 private:
  void checkLayer(int index) const;
  void checkPosition(int64_t pos) const;
  at::Tensor stream(int index, int64_t begin, int64_t end) const;

  std::shared_ptr<const ModelCore> m_core;
  TraceOptions m_options;
  TraceContent m_content;
  mutable RecordCache m_cache;
  mutable std::mutex m_computeMutex;  // one recomputation at a time: each already uses every core
};

}  // namespace maxstate::detail
