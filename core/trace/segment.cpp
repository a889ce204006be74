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

}  // namespace maxstate::detail
