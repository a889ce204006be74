#pragma once
// What a trace keeps for a run of consecutive positions (core-internal). A trace is a list of immutable
// segments shared with the traces it was appended from; full layer records are not kept here but recomputed
// from the layer inputs on demand.
#include <ATen/ATen.h>

#include <memory>
#include <vector>

#include "model/layer_ops.h"

namespace maxstate::detail {

struct Segment {
  int64_t begin = 0;
  int64_t length = 0;
  // layers + 1 tensors [n, d]: the input of each layer, then the stream after the last layer (the head's
  // input for a model, the layer's output for a bare layer).
  std::vector<at::Tensor> streams;
  std::vector<at::Tensor> stateNorms;  // per layer [n, H]
  at::Tensor topIds, topProbs;         // [n, k] models only
  // Every layer's carried state after each position p - 1 of the segment where p is a multiple of
  // kStatePositions (maxstate/whatif.h): [kept][layer], position p. Where a what-if run starts from.
  std::vector<std::vector<CarriedState>> keptStates;
};

using SegmentList = std::vector<std::shared_ptr<const Segment>>;

// Appends `added` to `list`, merging trailing segments while the older one is not longer than the newer one,
// so that token-by-token appends keep O(log n) segments at an amortised O(log n) copies per position.
SegmentList appendSegment(const SegmentList& list, std::shared_ptr<const Segment> added);

// The first `end` positions of `list` (views, no copies), with the states kept there.
SegmentList prefixOf(const SegmentList& list, int64_t end);

// The kept states (one per layer) with the largest position <= `position`; empty when none is (start at 0).
std::vector<CarriedState> keptStateBefore(const SegmentList& list, int64_t position);

// Rows [begin, end) of one per-position quantity gathered across segments (no copy when one segment holds
// all). `pick` selects the tensor of a segment.
template <class Pick>
at::Tensor gatherRows(const SegmentList& list, int64_t begin, int64_t end, Pick pick) {
  std::vector<at::Tensor> parts;
  for (const auto& s : list) {
    const int64_t from = std::max(begin, s->begin), to = std::min(end, s->begin + s->length);
    if (from < to) parts.push_back(pick(*s).narrow(0, from - s->begin, to - from));
  }
  if (parts.size() == 1) return parts[0];
  return at::cat(parts, 0);
}

}  // namespace maxstate::detail
