// compareRuns: both models run side by side over one input, a layer at a time, so that each layer's states
// and sources are compared (and shown to the observer) while the runs make them, and the head's logits are
// compared chunk by chunk as the runs compute them for their predictions: nothing is recomputed, and no
// full record outlives its layer. The two traces it returns are the traces Model::trace would make.
#include <ATen/ATen.h>

#include "compare/same_architecture.h"
#include "maxstate/compare.h"
#include "maxstate/error.h"
#include "model/model_core.h"
#include "model/next_token_kl.h"
#include "trace/model_trace.h"
#include "trace/run_segment.h"
#include "util/tensor_convert.h"

namespace maxstate {

using namespace detail;

namespace {

at::Tensor firstInput(const ModelCore& core, const std::vector<int64_t>& ids, const FloatArray& input) {
  if (core.info.kind == ModelKind::Model) {
    checkTraceIds(ids, core.info);
    return embed(core.tensors, ids);
  }
  checkTraceInput(input, core.info);
  return toTensor(input).clone();  // the traces must not change when the caller reuses its array
}

// A record viewing what the layer made (its tensors are contiguous: no copy).
LayerRecord recordOf(const LayerResult& r) {
  LayerRecord record;
  record.output = toFloatArray(r.output);
  record.state = toFloatArray(r.state);
  record.source = toIndexArray(r.source);
  if (r.terms.defined()) record.terms = toFloatArray(r.terms);
  return record;
}

std::vector<int64_t> topTokens(const Segment& s) {
  const at::Tensor top = s.topIds.select(1, 0).contiguous();
  return std::vector<int64_t>(top.data_ptr<int64_t>(), top.data_ptr<int64_t>() + top.numel());
}

double agreement(const std::vector<int64_t>& a, const std::vector<int64_t>& b) {
  int64_t same = 0;
  for (size_t t = 0; t < a.size(); ++t) same += a[t] == b[t];
  return a.empty() ? 0.0 : static_cast<double>(same) / static_cast<double>(a.size());
}

// The two runs of one model each, in step: layer l of A, layer l of B, then the head's chunks likewise.
Comparison runSideBySide(const std::shared_ptr<const ModelCore>& coreA,
                         const std::shared_ptr<const ModelCore>& coreB, const std::vector<int64_t>& ids,
                         const FloatArray& input, const TraceOptions& options, const Progress& progress,
                         const LayerPairObserver& onLayer) {
  const ModelCore &ca = *coreA, &cb = *coreB;
  const bool isModel = ca.info.kind == ModelKind::Model;
  const at::Tensor xa = firstInput(ca, ids, input), xb = firstInput(cb, ids, input);
  const int64_t S = xa.size(0);
  TraceContent contentA, contentB;
  contentA.carry.resize(static_cast<size_t>(ca.tensors.layerCount()));
  contentB.carry.resize(static_cast<size_t>(cb.tensors.layerCount()));
  if (isModel) contentA.tokens = contentB.tokens = ids;
  ProgressTracker tracker(progress, 2 * segmentWork(ca.tensors, RunMode::Parallel, S));
  ParallelRun ra(ca.tensors, xa, 0, contentA.carry, options.topK);
  ParallelRun rb(cb.tensors, xb, 0, contentB.carry, options.topK);

  Comparison out;
  // The terms only when someone looks at the full records: they are most of a record's size.
  const RecordOptions record{true, static_cast<bool>(onLayer)};
  for (int l = 0; l < ca.tensors.layerCount(); ++l) {
    LayerResult la, lb;
    tracker.check();
    ra.layer(l, record, &la);
    tracker.advance();
    tracker.check();
    rb.layer(l, record, &lb);
    tracker.advance();
    const LayerRecord recA = recordOf(la), recB = recordOf(lb);
    out.layers.push_back(compareRecords(l, recA, recB));
    if (onLayer) onLayer(l, recA, recB);
  }
  out.kl.resize(isModel ? static_cast<size_t>(S) : 0);
  for (int64_t i = 0; i < ra.headChunks(); ++i) {
    tracker.check();
    const at::Tensor logitsA = ra.head(i);
    tracker.advance();
    tracker.check();
    const at::Tensor kl = nextTokenKl(logitsA, rb.head(i));
    std::copy(kl.data_ptr<double>(), kl.data_ptr<double>() + kl.numel(),
              out.kl.begin() + ra.headChunkBegin(i));
    tracker.advance();
  }
  contentA.segments = appendSegment({}, std::make_shared<Segment>(ra.take()));
  contentB.segments = appendSegment({}, std::make_shared<Segment>(rb.take()));
  contentA.length = contentB.length = S;
  if (isModel) {
    out.top1A = topTokens(*contentA.segments.front());
    out.top1B = topTokens(*contentB.segments.front());
    out.top1Agree = agreement(out.top1A, out.top1B);
  }
  TraceOptions traceOptions = options;
  traceOptions.mode = RunMode::Parallel;
  out.a = std::make_shared<ModelTrace>(coreA, traceOptions, std::move(contentA));
  out.b = std::make_shared<ModelTrace>(coreB, traceOptions, std::move(contentB));
  return out;
}

}  // namespace

Comparison compareRuns(const Model& a, const Model& b, const std::vector<int64_t>& ids,
                       const FloatArray& input, const TraceOptions& options, const Progress& progress,
                       const LayerPairObserver& onLayer) {
  checkSameArchitecture(a.info(), b.info());
  checkTraceOptions(options, a.info());
  at::NoGradGuard noGrad;
  if (options.mode == RunMode::Step) {
    // A step run makes its records a token at a time; their full records are recomputed by one parallel
    // run per layer anyway, so the two traces are compared as traces.
    const bool isModel = a.info().kind == ModelKind::Model;
    auto ta = isModel ? a.trace(ids, options, progress) : a.traceInput(input, options, progress);
    auto tb = isModel ? b.trace(ids, options, progress) : b.traceInput(input, options, progress);
    return compareTraces(ta, tb, progress, onLayer);
  }
  return runSideBySide(a.impl().core, b.impl().core, ids, input, options, progress, onLayer);
}

}  // namespace maxstate
