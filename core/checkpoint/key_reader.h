#pragma once
// Taking named tensors out of a checkpoint while recognising its layout: every tensor is checked against the
// shape the layout expects, and the reader remembers which keys were used and which were missing, so that a
// layout it does not understand can be reported by name.
#include <set>
#include <string>
#include <vector>

#include "maxstate/checkpoint.h"

namespace maxstate::detail {

// "a, b, c, d, e and 4 more": keeps messages to one readable line however many names there are.
std::string listNames(const std::vector<std::string>& names, size_t shown = 5);

class KeyReader {
 public:
  explicit KeyReader(const Checkpoint& checkpoint) : m_checkpoint(checkpoint) {}

  bool has(const std::string& key) const { return m_checkpoint.tensors.count(key) != 0; }
  // The tensor without marking it used; nullptr when absent.
  const CheckpointTensor* peek(const std::string& key) const;

  // The tensor under `key`, which must have shape `expected`; otherwise Error(Shape) naming the key, its
  // shape and the expected one, with `why` saying where the expectation comes from. A missing key is recorded
  // (see missing()) and gives an empty array, so that all missing keys can be named at once.
  FloatArray take(const std::string& key, const Shape& expected, const std::string& why);
  // Any shape: the caller checks it (for the tensors that define the sizes).
  FloatArray takeAnyShape(const std::string& key);
  // A scalar parameter (shape [] as PyTorch saves it; [1] is accepted too). Missing: recorded, 0 returned.
  float takeScalar(const std::string& key);

  void markMissing(const std::string& description) { m_missing.push_back(description); }
  const std::vector<std::string>& missing() const { return m_missing; }
  // Keys never taken, in the checkpoint's (sorted) order.
  std::vector<std::string> unused() const;

  // Over the tensors taken: the number of elements, and the storage dtype holding most of them.
  int64_t parameters() const;
  StorageType dominantType() const;

 private:
  const Checkpoint& m_checkpoint;
  std::set<std::string> m_used;
  std::vector<std::string> m_missing;
};

// Error(Shape): "<key> has shape [a, b], expected <expected> (<why>)".
[[noreturn]] void throwShapeError(const std::string& key, const Shape& actual, const std::string& expected,
                                  const std::string& why);

}  // namespace maxstate::detail
