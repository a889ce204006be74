// Cell-by-cell comparison of two records of one layer (SPEC.md section 7). Torch-free: compareRuns calls the
// same functions on the records its runs make, so the explorer's numbers and the runs' are one computation.
#include <cmath>
#include <limits>

#include "maxstate/compare.h"
#include "maxstate/error.h"

namespace maxstate {
namespace {

void checkComparable(const LayerRecord& a, const LayerRecord& b) {
  if (a.state.empty() || a.source.empty() || b.state.empty() || b.source.empty()) {
    throw Error(ErrorKind::Shape, "cannot compare the records: both need their states and sources");
  }
  if (a.state.shape() != b.state.shape() || a.source.shape() != a.state.shape() ||
      b.source.shape() != b.state.shape() || a.begin != b.begin) {
    throw Error(ErrorKind::Shape, "cannot compare the records: positions " + std::to_string(a.begin) + ".." +
                                      std::to_string(a.end() - 1) + " of state " +
                                      shapeToString(a.state.shape()) + " against positions " +
                                      std::to_string(b.begin) + ".." + std::to_string(b.end() - 1) +
                                      " of state " + shapeToString(b.state.shape()));
  }
}

}  // namespace

FloatArray stateDifference(const LayerRecord& a, const LayerRecord& b) {
  checkComparable(a, b);
  FloatArray out(a.state.shape());
  for (int64_t i = 0; i < out.size(); ++i) out[i] = b.state[i] - a.state[i];
  return out;
}

std::vector<uint8_t> sourceSame(const LayerRecord& a, const LayerRecord& b) {
  checkComparable(a, b);
  std::vector<uint8_t> out(static_cast<size_t>(a.source.size()));
  for (size_t i = 0; i < out.size(); ++i) out[i] = a.source[int64_t(i)] == b.source[int64_t(i)] ? 1 : 0;
  return out;
}

LayerComparison compareRecords(int layer, const LayerRecord& a, const LayerRecord& b) {
  checkComparable(a, b);
  double diff = 0, base = 0;
  int64_t same = 0;
  const int64_t n = a.state.size();
  for (int64_t i = 0; i < n; ++i) {
    const double x = a.state[i], d = double(b.state[i]) - x;
    diff += d * d;
    base += x * x;
    same += a.source[i] == b.source[i];
  }
  LayerComparison c;
  c.layer = layer;
  if (base > 0)
    c.stateRelDiff = std::sqrt(diff) / std::sqrt(base);
  else
    c.stateRelDiff = diff == 0 ? 0.0 : std::numeric_limits<double>::infinity();
  c.sourceAgree = static_cast<double>(same) / static_cast<double>(n);
  return c;
}

}  // namespace maxstate
