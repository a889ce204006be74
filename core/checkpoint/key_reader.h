#pragma once
// Taking named tensors out of a checkpoint while recognising its layout: every tensor is checked against the
// shape the layout expects, and the reader remembers which keys were used and which were missing, so that a
// layout it does not understand can be reported by name. Recognition runs twice: first on the declared
// shapes alone (no data read but the 0-dim scalars), then with the weights loaded.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "maxstate/checkpoint.h"

namespace maxstate::detail {

// "a, b, c, d, e and 4 more": keeps messages to one readable line however many names there are.
std::string listNames(const std::vector<std::string>& names, size_t shown = 5);

// Tensors read into memory, by name (see loadTensors).
using TensorMap = std::map<std::string, FloatArray>;

class KeyReader {
 public:
  // Without `loaded`, take() checks shapes and returns empty arrays: nothing but scalars is read.
  explicit KeyReader(const Checkpoint& checkpoint, const TensorMap* loaded = nullptr)
      : m_checkpoint(checkpoint), m_loaded(loaded) {}

  bool has(const std::string& key) const { return m_checkpoint.tensors.count(key) != 0; }
  // The tensor without marking it used; nullptr when absent.
  const CheckpointTensor* peek(const std::string& key) const;

  // The tensor under `key`, which must have shape `expected`; otherwise Error(Shape) naming the key, its
  // shape and the expected one, with `why` saying where the expectation comes from. A missing key is recorded
  // (see missing()) and gives an empty array, so that all missing keys can be named at once. The array is
  // the loaded one, or empty when the reader has none.
  FloatArray take(const std::string& key, const Shape& expected, const std::string& why);
  // A scalar parameter (shape [] as PyTorch saves it; [1] is accepted too), read from the file when not
  // loaded (a few bytes). Missing: recorded, 0 returned.
  float takeScalar(const std::string& key);

  void markMissing(const std::string& description) { m_missing.push_back(description); }
  const std::vector<std::string>& missing() const { return m_missing; }
  // Keys never taken, in the checkpoint's (sorted) order; and those taken.
  std::vector<std::string> unused() const;
  std::vector<std::string> used() const { return {m_used.begin(), m_used.end()}; }

  // Over the tensors taken: the number of elements, and the storage dtype holding most of them.
  int64_t parameters() const;
  StorageType dominantType() const;

 private:
  const CheckpointTensor* use(const std::string& key);

  const Checkpoint& m_checkpoint;
  const TensorMap* m_loaded;
  std::set<std::string> m_used;
  std::vector<std::string> m_missing;
};

// Error(Shape): "<key> has shape [a, b], expected <expected> (<why>)".
[[noreturn]] void throwShapeError(const std::string& key, const Shape& actual, const std::string& expected,
                                  const std::string& why);

}  // namespace maxstate::detail
