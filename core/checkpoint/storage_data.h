#pragma once
// One storage's bytes as they lie in the file, read only when a tensor's values are asked for. Opening a
// checkpoint records where each storage is; reading later checks that the file is still the version that
// was opened (before and after reading) and, for zip entries, the CRC-32 of what was read.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "checkpoint/byte_source.h"

namespace maxstate::detail {

class StorageData {
 public:
  explicit StorageData(std::string fileName) : m_fileName(std::move(fileName)) {}
  virtual ~StorageData() = default;
  // The file the storage lies in, for messages.
  const std::string& fileName() const { return m_fileName; }
  virtual uint64_t size() const = 0;  // uncompressed bytes
  // Whether reading inflates (a deflated zip entry): its declared size must match what the pickle needs.
  virtual bool deflated() const { return false; }
  using Sink = std::function<void(const char* data, size_t size)>;
  // Bytes [begin, begin + length) of the storage (begin + length <= size(), checked by the caller) handed
  // to `sink` in order, in chunks of bounded size.
  virtual void stream(uint64_t begin, uint64_t length, const Sink& sink) const = 0;
  // The same into dst.
  virtual void read(uint64_t begin, uint64_t length, char* dst) const;

 private:
  std::string m_fileName;
};

// A plain range of the source: legacy storages, safetensors tensors (no CRC in those formats).
std::shared_ptr<const StorageData> rangeStorage(std::shared_ptr<const ByteSource> source, uint64_t offset,
                                                uint64_t size);

// Runs a later read of `source`: the file must be the version that was opened before and after `read`, and
// any failure on a file that changed meanwhile becomes the "changed while it was read" error.
void readSameVersion(const ByteSource& source, const std::function<void()>& read);

}  // namespace maxstate::detail
