// runWhatIf: the edited run shares the base trace's prefix (the positions no edit can change) and recomputes
// the rest in one parallel run after the states the base kept every kStatePositions positions.
#include <ATen/ATen.h>

#include "maxstate/error.h"
#include "model/model_core.h"
#include "trace/model_trace.h"
#include "trace/run_segment.h"
#include "whatif/edit_plan.h"
#include "whatif/whatif_compare.h"

namespace maxstate {

using namespace detail;

namespace {

const ModelTrace& modelTraceOf(const Model& model, const Trace& base) {
  const auto* trace = dynamic_cast<const ModelTrace*>(&base);
  if (!trace || trace->core() != model.impl().core.get())
    throw Error(ErrorKind::Usage, "cannot run the edits: the base trace was made with a different model");
  if (trace->content().edits) {
    throw Error(ErrorKind::Usage,
                "cannot run edits on top of a what-if run: give all the edits to one run on the plain trace");
  }
  return *trace;
}

// Every layer's carried state after positions [0, start) of the base: the last kept state before `start`,
// moved on over the few positions after it by running each layer's stored input through its running max.
std::vector<CarriedState> carriedStateAt(const ModelTrace& base, int64_t start) {
  const ModelTensors& m = base.core()->tensors;
  std::vector<CarriedState> carry = keptStateBefore(base.content().segments, start);
  carry.resize(static_cast<size_t>(m.layerCount()));
  const int64_t from = carry.front().empty() ? 0 : carry.front().position;
  if (from == start) return carry;
  for (int l = 0; l < m.layerCount(); ++l) {
    const at::Tensor x = gatherRows(base.content().segments, from, start,
                                    [l](const Segment& s) { return s.streams[static_cast<size_t>(l)]; });
    runLayer(m.layers[static_cast<size_t>(l)].attention, x, &carry[static_cast<size_t>(l)], {false, false});
  }
  return carry;
}

}  // namespace

WhatIf runWhatIf(const Model& model, const std::shared_ptr<const Trace>& base, const std::vector<Edit>& edits,
                 const WhatIfOptions& options, const Progress& progress) {
  if (!base) throw Error(ErrorKind::Usage, "cannot run the edits: there is no base trace");
  const ModelTrace& trace = modelTraceOf(model, *base);
  const ModelTensors& m = trace.core()->tensors;
  const bool isModel = m.kind == ModelKind::Model;
  EditPlan plan = planEdits(edits, trace.tokens(), trace.length(), trace.info());
  at::NoGradGuard noGrad;

  // Recomputed from `start`: the first position that can differ (a full rerun: 0).
  const int64_t start = options.suffixOnly ? std::min(plan.firstAffected, plan.length - 1) : 0;
  TraceContent content;
  content.segments = prefixOf(trace.content().segments, start);
  content.carry =
      start > 0 ? carriedStateAt(trace, start) : std::vector<CarriedState>(size_t(m.layerCount()));
  content.tokens = plan.ids;
  content.length = start;
  content.edits = std::make_shared<const std::vector<LayerEdits>>(std::move(plan.layers));
  const at::Tensor x0 = isModel ? embed(m, std::vector<int64_t>(plan.ids.begin() + start, plan.ids.end()))
                                : gatherRows(trace.content().segments, start, plan.length,
                                             [](const Segment& s) { return s.streams[0]; });
  TraceOptions runOptions = trace.options();
  runOptions.mode = RunMode::Parallel;
  ProgressTracker tracker(progress, segmentWork(m, RunMode::Parallel, x0.size(0)));
  auto segment = std::make_shared<Segment>(runSegment(m, x0, start, content.carry, RunMode::Parallel,
                                                      runOptions.topK, tracker, content.edits.get()));
  content.segments = appendSegment(content.segments, std::move(segment));
  content.length = plan.length;

  WhatIf out;
  out.base = base;
  out.edited = std::make_shared<ModelTrace>(model.impl().core, runOptions, std::move(content));
  out.editedIds = plan.ids;
  out.baseOf = std::move(plan.baseOf);
  out.firstAffected = plan.firstAffected;
  if (isModel) compareRuns(out, start, progress);
  return out;
}

}  // namespace maxstate
