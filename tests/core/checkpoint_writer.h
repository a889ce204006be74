#pragma once
// Checkpoints built by the tests themselves, in torch.save's zip format (what PyTorch writes: a protocol-2
// pickle of an OrderedDict of _rebuild_tensor_v2 calls, one storage entry per tensor): small well-formed
// models, and hostile files such as a deflated entry that inflates to 2 GiB while taking 2 MB on disk.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "maxstate/array.h"

namespace maxstate::test {

// One storage entry: its bytes as written in the archive and what the central directory declares.
struct StorageSpec {
  std::string payload;  // stored bytes, or the raw deflate stream
  bool deflated = false;
  uint64_t size = 0;  // uncompressed size declared
  uint32_t crc = 0;
};

struct TensorSpec {
  std::string name;
  Shape shape;
  int64_t storageNumel = 0;  // float32 elements the pickle says the storage holds
  StorageSpec storage;
};

StorageSpec storedFloats(const std::vector<float>& values);
StorageSpec deflatedFloats(const std::vector<float>& values);
// `size` zero bytes (a multiple of 1 MiB) as a deflate stream of ~size/1000 bytes, built without ever
// holding `size` bytes: one compressed MiB repeated.
StorageSpec deflatedZeros(uint64_t size);

// A float32 tensor with its own stored storage.
TensorSpec floatTensor(const std::string& name, const Shape& shape, const std::vector<float>& values);
// Deterministic values for a tensor of `shape`.
std::vector<float> someValues(const Shape& shape, float seed);

// The archive torch.save would write for these tensors ("archive/data.pkl", "archive/data/<i>").
std::string torchZip(const std::vector<TensorSpec>& tensors);

// An OpenASH model (openash variant) of the given sizes; `seed` changes every value (alphas included).
std::vector<TensorSpec> openAshModel(int64_t vocab, int64_t d, int64_t heads, int64_t layers, float seed);

// Resume files: {"model": <the state dict>, key: value, ...} as torch.save writes them, each value already
// pickled (protocol 2) by one of these.
std::string pickledInt(int64_t v);  // BININT, or LONG1 beyond 32 bits, as Python pickles ints
std::string pickledLong(const std::string& littleEndian);  // LONG1 of any bytes (e.g. 2**64)
std::string pickledFloat(double v);
std::string pickledBool(bool v);
std::string pickledStr(const std::string& text);
std::string pickledNone();
std::string torchZipResume(const std::vector<TensorSpec>& tensors,
                           const std::vector<std::pair<std::string, std::string>>& entries);

// Writes `bytes` to `path` the way torch.save does: truncate, then write.
void writeInPlace(const std::string& path, const std::string& bytes);

}  // namespace maxstate::test
