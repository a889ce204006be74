// compareParameters: how far each parameter tensor moved from A to B (SPEC.md section 7). Torch-free: it only
// reads tensors, one pair at a time, and sums in float64.
#include <cmath>

#include "maxstate/checkpoint.h"
#include "maxstate/compare.h"
#include "maxstate/error.h"

namespace maxstate {
namespace {

[[noreturn]] void notOneArchitecture(const std::string& what) {
  throw Error(ErrorKind::Shape, "the checkpoints are not of one architecture: " + what);
}

// Every key and shape is checked before any value is read: a mismatch is reported at once.
void checkSameLayout(const Checkpoint& a, const Checkpoint& b) {
  for (const auto& [name, tensor] : a.tensors) {
    const auto other = b.tensors.find(name);
    if (other == b.tensors.end()) notOneArchitecture(name + " is in A but not in B");
    if (other->second.shape() != tensor.shape()) {
      notOneArchitecture(name + " has shape " + shapeToString(tensor.shape()) + " in A, " +
                         shapeToString(other->second.shape()) + " in B");
    }
  }
  for (const auto& [name, tensor] : b.tensors)
    if (!a.tensors.count(name)) notOneArchitecture(name + " is in B but not in A");
}

std::optional<double> relativeChange(const FloatArray& a, const FloatArray& b) {
  double diff = 0, base = 0;
  for (int64_t i = 0; i < a.size(); ++i) {
    const double x = a[i], d = double(b[i]) - x;
    diff += d * d;
    base += x * x;
  }
  if (base == 0) return std::nullopt;
  return std::sqrt(diff) / std::sqrt(base);
}

}  // namespace

std::vector<ParameterChange> compareParameters(const Checkpoint& a, const Checkpoint& b,
                                               const Progress& progress) {
  checkSameLayout(a, b);
  std::vector<ParameterChange> out;
  const int64_t total = static_cast<int64_t>(a.tensors.size());
  for (const auto& [name, tensor] : a.tensors) {
    if (progress.cancel && progress.cancel->load(std::memory_order_relaxed))
      throw Error(ErrorKind::Cancelled, "the comparison was cancelled");
    out.push_back({name, tensor.shape(), relativeChange(tensor.values(), b.tensors.at(name).values())});
    if (progress.report) progress.report(static_cast<int64_t>(out.size()), total);
  }
  return out;
}

std::vector<ParameterChange> compareParameters(const std::string& pathA, const std::string& pathB,
                                               const Progress& progress) {
  const Checkpoint a = readCheckpoint(pathA);
  const Checkpoint b = readCheckpoint(pathB);
  return compareParameters(a, b, progress);
}

}  // namespace maxstate
