#include "whatif/whatif_compare.h"

#include <ATen/ATen.h>

#include "model/next_token_kl.h"
#include "trace/model_trace.h"
#include "trace/progress_tracker.h"

namespace maxstate::detail {
namespace {

constexpr int64_t kRows = 256;  // logits rows computed at once: [256, V] twice

at::Tensor lastStream(const ModelTrace& t, int64_t begin, int64_t end) {
  const size_t last = static_cast<size_t>(t.layerCount());
  return gatherRows(t.content().segments, begin, end, [last](const Segment& s) { return s.streams[last]; });
}

}  // namespace

void compareRuns(WhatIf& what, int64_t start, const Progress& progress) {
  const auto& base = dynamic_cast<const ModelTrace&>(*what.base);
  const auto& edited = dynamic_cast<const ModelTrace&>(*what.edited);
  const ModelTensors& m = edited.core()->tensors;
  const int64_t S = edited.length();
  what.kl.assign(static_cast<size_t>(S), std::nullopt);
  what.top1Base.assign(static_cast<size_t>(S), std::nullopt);
  what.top1Edited.assign(static_cast<size_t>(S), 0);
  for (int64_t t = 0; t < S; ++t) {
    const auto b = what.baseOf[static_cast<size_t>(t)];
    what.top1Edited[static_cast<size_t>(t)] = edited.predictions(t).front().token;
    if (b) what.top1Base[static_cast<size_t>(t)] = base.predictions(*b).front().token;
    if (b && t < start) what.kl[static_cast<size_t>(t)] = 0.0;
  }
  ProgressTracker tracker(progress, (S - start + kRows - 1) / kRows);
  const at::Tensor baseStream = lastStream(base, 0, base.length());
  for (int64_t begin = start; begin < S; begin += kRows) {
    tracker.check();
    const int64_t end = std::min(S, begin + kRows);
    std::vector<int64_t> rows, basePositions;
    for (int64_t t = begin; t < end; ++t)
      if (const auto b = what.baseOf[static_cast<size_t>(t)])
        rows.push_back(t - begin), basePositions.push_back(*b);
    if (rows.empty()) continue;
    const auto index = [](std::vector<int64_t>& v) {
      return at::from_blob(v.data(), {static_cast<int64_t>(v.size())}, at::kLong);
    };
    const at::Tensor le = headLogits(m, lastStream(edited, begin, end).index_select(0, index(rows)));
    const at::Tensor lb = headLogits(m, baseStream.index_select(0, index(basePositions)));
    const at::Tensor kl = nextTokenKl(lb, le);
    for (size_t i = 0; i < rows.size(); ++i)
      what.kl[static_cast<size_t>(begin + rows[i])] = kl.data_ptr<double>()[i];
    tracker.advance();
  }
}

}  // namespace maxstate::detail
