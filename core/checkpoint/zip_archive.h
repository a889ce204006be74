#pragma once
// A read-only view of a zip archive in memory (what torch.save and torch.jit.save write: stored entries,
// 64-byte aligned, zip64 when large). Only the central directory is trusted for the list of entries; each
// entry is checked against its local header, the bytes present, and its CRC-32 when read.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

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
  // Parses the central directory; throws Error(BadFile) if it is missing, truncated or inconsistent.
  explicit ZipArchive(std::string_view bytes);
  ZipArchive(const ZipArchive&) = delete;  // the name index points into m_entries
  ZipArchive& operator=(const ZipArchive&) = delete;

  const std::vector<ZipEntry>& entries() const { return m_entries; }
  const ZipEntry* find(std::string_view name) const;

  // The entry's uncompressed bytes: a view into the archive for stored entries, or inflated into memory owned
  // by this archive. Checks the local header, the bounds and (when `checkCrc`) the CRC-32.
  std::string_view read(const ZipEntry& entry, bool checkCrc = true) const;

 private:
  void parseCentralDirectory(uint64_t offset, uint64_t size, uint64_t count);
  std::string_view dataOf(const ZipEntry& entry) const;

  std::string_view m_bytes;
  uint64_t m_dataEnd = 0;  // entries' data must end before the central directory
  std::vector<ZipEntry> m_entries;
  std::unordered_map<std::string_view, size_t> m_index;
  mutable std::vector<std::unique_ptr<std::string>> m_inflated;
};

}  // namespace maxstate::detail
