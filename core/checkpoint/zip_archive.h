#pragma once
// A read-only view of a zip archive (what torch.save and torch.jit.save write: stored entries, 64-byte
// aligned, zip64 when large), read through a ByteSource. Only the end records and the central directory are
// read when it opens; entries are read on request. Only the central directory is trusted for the list of
// entries; each entry is checked against its local header, the bytes present, and its CRC-32 when read.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "checkpoint/byte_source.h"
#include "checkpoint/storage_data.h"

namespace maxstate::detail {

struct ZipEntry {
  std::string name;
  uint64_t compressedSize = 0;
  uint64_t size = 0;  // uncompressed
  uint64_t localHeaderOffset = 0;
  uint32_t crc32 = 0;
  uint16_t method = 0;  // 0 stored, 8 deflated
  uint16_t flags = 0;
};

class ZipArchive {
 public:
  // Reads and parses the central directory; throws Error(BadFile) if it is missing, truncated or
  // inconsistent.
  explicit ZipArchive(std::shared_ptr<const ByteSource> source);
  ZipArchive(const ZipArchive&) = delete;  // the name index points into m_entries
  ZipArchive& operator=(const ZipArchive&) = delete;

  const std::vector<ZipEntry>& entries() const { return m_entries; }
  const ZipEntry* find(std::string_view name) const;

  // A small entry (a pickle, the byte order) read whole into memory, checked (local header, bounds, the
  // declared size inflated exactly, CRC-32). Entries declaring more than `limit` bytes are refused unread.
  std::string readSmall(const ZipEntry& entry, uint64_t limit) const;
  // A storage entry, located and checked (local header, bounds, compression ratio) but not read.
  std::shared_ptr<const StorageData> storage(const ZipEntry& entry) const;

 private:
  void parseCentralDirectory(std::string_view cd, uint64_t count);
  uint64_t dataStart(const ZipEntry& entry) const;

  std::shared_ptr<const ByteSource> m_source;
  uint64_t m_dataEnd = 0;  // entries' data must end before the central directory
  std::vector<ZipEntry> m_entries;
  std::unordered_map<std::string_view, size_t> m_index;
};

}  // namespace maxstate::detail
