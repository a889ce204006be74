// maxstate::Model: validating the weights once, then tracing token ids (models) or inputs (bare layers).
// Runs under NoGradGuard, not c10::InferenceMode: InferenceMode's inline TLS access makes the programs link
// ld-linux directly, and the weights never require grad, so nothing would be recorded anyway.
#include <cmath>

#include "maxstate/error.h"
#include "maxstate/trace.h"
#include "model/model_core.h"
#include "trace/model_trace.h"
#include "trace/run_segment.h"
#include "util/tensor_convert.h"

namespace maxstate {

namespace detail {

void checkTraceOptions(const TraceOptions& options, const ModelInfo& info) {
  if (info.kind == ModelKind::Model && options.topK < 1) {
    throw Error(ErrorKind::Usage, "topK must be at least 1, got " + std::to_string(options.topK));
  }
}

void checkTraceIds(const std::vector<int64_t>& ids, const ModelInfo& info) {
  if (info.kind == ModelKind::Layer) {
    throw Error(ErrorKind::Usage,
                "this is a bare MaxStateSuper layer: it reads an input of shape [S, d] (--input x.npy), not "
                "token ids");
  }
  if (ids.empty()) throw Error(ErrorKind::Usage, "nothing to trace: the list of token ids is empty");
  const int64_t V = *info.vocabSize;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] < 0 || ids[i] >= V) {
      throw Error(ErrorKind::Usage, "token id " + std::to_string(ids[i]) + " at position " +
                                        std::to_string(i) + " is outside the model's vocabulary (ids 0.." +
                                        std::to_string(V - 1) +
                                        "): check that the ids or the vocabulary file belong to this model");
    }
  }
}

void checkTraceInput(const FloatArray& x, const ModelInfo& info) {
  if (info.kind != ModelKind::Layer) {
    throw Error(ErrorKind::Usage,
                "this is a whole model: trace token ids (--ids, --ids-file or --text), not an input");
  }
  const int64_t d = info.hidden;
  if (x.ndim() != 2 || x.dim(1) != d || x.dim(0) < 1) {
    throw Error(ErrorKind::Shape, "the input has shape " + shapeToString(x.shape()) + ", expected [S, " +
                                      std::to_string(d) + "] (S >= 1 positions of the layer's width " +
                                      std::to_string(d) + ")");
  }
  for (int64_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i])) {
      throw Error(ErrorKind::Usage, "the input holds a non-finite value (" + std::to_string(x[i]) +
                                        ") at row " + std::to_string(i / d) + ", column " +
                                        std::to_string(i % d));
    }
  }
}

}  // namespace detail

using detail::ModelCore;
using detail::ModelTrace;

namespace {

int64_t countParameters(const ModelWeights& w) {
  int64_t n = w.embedding.size() + w.headScore.size();
  for (const auto& l : w.layers) {
    const LayerWeights& a = l.attention;
    n += a.combined.size() + a.headLinear.size() + (a.variant == Variant::Seed ? 4 : 3);
    if (w.info.kind == ModelKind::Model) {
      n += l.ffn1Weight.size() + l.ffn1Bias.size() + l.gateWeight.size() + l.gateBias.size() +
           l.ffn2Weight.size() + l.ffn2Bias.size() + l.normWeight.size() + l.normBias.size() + 1;
    }
  }
  return n;
}

// What can be read off the weights is taken from them, so that the info always describes what runs.
ModelInfo completeInfo(const ModelWeights& w, const detail::ModelTensors& t) {
  ModelInfo info = w.info;
  info.variant = t.variant;
  info.hidden = t.dim;
  info.heads = t.heads;
  info.layers = t.layerCount();
  info.vocabSize = t.kind == ModelKind::Model ? std::optional<int64_t>(t.vocab) : std::nullopt;
  if (info.parameters == 0) info.parameters = countParameters(w);
  return info;
}

std::shared_ptr<const Trace> run(const std::shared_ptr<const ModelCore>& core, const at::Tensor& x0,
                                 detail::TraceContent content, const TraceOptions& options, RunMode mode,
                                 const Progress& progress) {
  const detail::ModelTensors& m = core->tensors;
  detail::ProgressTracker tracker(progress, detail::segmentWork(m, mode, x0.size(0)));
  auto segment = std::make_shared<detail::Segment>(
      detail::runSegment(m, x0, content.length, content.carry, mode, options.topK, tracker));
  content.segments = detail::appendSegment(content.segments, std::move(segment));
  content.length += x0.size(0);
  return std::make_shared<ModelTrace>(core, options, std::move(content));
}

}  // namespace

Model::Model(ModelWeights weights) : m_impl(std::make_unique<Impl>()) {
  auto core = std::make_shared<ModelCore>();
  core->tensors = detail::makeModelTensors(weights);
  core->info = completeInfo(weights, core->tensors);
  core->weights = std::move(weights);
  m_impl->core = std::move(core);
}

Model::~Model() = default;
Model::Model(Model&&) noexcept = default;

const ModelInfo& Model::info() const { return m_impl->core->info; }
const ModelWeights& Model::weights() const { return m_impl->core->weights; }

std::shared_ptr<const Trace> Model::trace(const std::vector<int64_t>& ids, const TraceOptions& options,
                                          const Progress& progress) const {
  const auto& core = m_impl->core;
  detail::checkTraceIds(ids, core->info);
  detail::checkTraceOptions(options, core->info);
  at::NoGradGuard noGrad;
  detail::TraceContent content;
  content.carry.resize(static_cast<size_t>(core->tensors.layerCount()));
  content.tokens = ids;
  return run(core, detail::embed(core->tensors, ids), std::move(content), options, options.mode, progress);
}

std::shared_ptr<const Trace> Model::traceInput(const FloatArray& x, const TraceOptions& options,
                                               const Progress& progress) const {
  const auto& core = m_impl->core;
  detail::checkTraceInput(x, core->info);
  detail::checkTraceOptions(options, core->info);
  at::NoGradGuard noGrad;
  detail::TraceContent content;
  content.carry.resize(1);
  // A copy: the trace must not change when the caller reuses its array.
  return run(core, detail::toTensor(x).clone(), std::move(content), options, options.mode, progress);
}

std::shared_ptr<const Trace> Model::append(const Trace& trace, const std::vector<int64_t>& ids,
                                           const Progress& progress) const {
  const auto& core = m_impl->core;
  const auto* previous = dynamic_cast<const ModelTrace*>(&trace);
  if (!previous || previous->core() != core.get()) {
    throw Error(ErrorKind::Usage, "cannot append: the trace was made with a different model");
  }
  if (previous->content().edits) {
    throw Error(ErrorKind::Usage,
                "cannot append to a what-if run: append to the plain trace, then run the edits again");
  }
  detail::checkTraceIds(ids, core->info);
  at::NoGradGuard noGrad;
  detail::TraceContent content = previous->content();
  content.tokens.insert(content.tokens.end(), ids.begin(), ids.end());
  const TraceOptions& options = previous->options();
  return run(core, detail::embed(core->tensors, ids), std::move(content), options, options.mode, progress);
}

}  // namespace maxstate
