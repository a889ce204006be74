#include "trace/segment.h"

namespace maxstate::detail {
namespace {

std::shared_ptr<const Segment> merge(const Segment& a, const Segment& b) {
  auto catPair = [](const at::Tensor& x, const at::Tensor& y) {
    return x.defined() ? at::cat({x, y}, 0) : at::Tensor();
  };
  auto out = std::make_shared<Segment>();
  out->begin = a.begin;
  out->length = a.length + b.length;
  for (size_t i = 0; i < a.streams.size(); ++i) out->streams.push_back(catPair(a.streams[i], b.streams[i]));
  for (size_t i = 0; i < a.stateNorms.size(); ++i)
    out->stateNorms.push_back(catPair(a.stateNorms[i], b.stateNorms[i]));
  out->topIds = catPair(a.topIds, b.topIds);
  out->topProbs = catPair(a.topProbs, b.topProbs);
  out->keptStates = a.keptStates;
  out->keptStates.insert(out->keptStates.end(), b.keptStates.begin(), b.keptStates.end());
  return out;
}

std::shared_ptr<const Segment> firstRows(const Segment& s, int64_t n) {
  auto rows = [n](const at::Tensor& t) { return t.defined() ? t.narrow(0, 0, n) : at::Tensor(); };
  auto out = std::make_shared<Segment>();
  out->begin = s.begin;
  out->length = n;
  for (const auto& t : s.streams) out->streams.push_back(rows(t));
  for (const auto& t : s.stateNorms) out->stateNorms.push_back(rows(t));
  out->topIds = rows(s.topIds);
  out->topProbs = rows(s.topProbs);
  for (const auto& kept : s.keptStates)
    if (kept.front().position <= s.begin + n) out->keptStates.push_back(kept);
  return out;
}

}  // namespace

SegmentList appendSegment(const SegmentList& list, std::shared_ptr<const Segment> added) {
  SegmentList out = list;
  out.push_back(std::move(added));
  while (out.size() >= 2 && out[out.size() - 2]->length <= out.back()->length) {
    auto merged = merge(*out[out.size() - 2], *out.back());
    out.pop_back();
    out.back() = std::move(merged);
  }
  return out;
}

SegmentList prefixOf(const SegmentList& list, int64_t end) {
  SegmentList out;
  for (const auto& s : list) {
    if (s->begin >= end) break;
    out.push_back(s->begin + s->length <= end ? s : firstRows(*s, end - s->begin));
  }
  return out;
}

std::vector<CarriedState> keptStateBefore(const SegmentList& list, int64_t position) {
  std::vector<CarriedState> best;
  for (const auto& s : list)
    for (const auto& kept : s->keptStates)
      if (kept.front().position <= position) best = kept;
  return best;
}

}  // namespace maxstate::detail
