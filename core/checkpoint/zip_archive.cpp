#include "checkpoint/zip_archive.h"

#include <algorithm>
#include <limits>

#include "checkpoint/byte_reader.h"
#include "checkpoint/zip_entry.h"
#include "maxstate/error.h"

namespace maxstate::detail {
namespace {

constexpr uint32_t kLocalHeaderSig = 0x04034b50;
constexpr uint32_t kCentralHeaderSig = 0x02014b50;
constexpr uint32_t kEndSig = 0x06054b50;
constexpr uint32_t kZip64EndSig = 0x06064b50;
constexpr uint32_t kZip64LocatorSig = 0x07064b50;
constexpr size_t kEndSize = 22;
constexpr size_t kCentralHeaderSize = 46;
constexpr size_t kLocalHeaderSize = 30;
// Far above the directory of any checkpoint (100,000 tensors take ~10 MB), far below what would hurt.
constexpr uint64_t kMaxCentralDirectory = uint64_t{256} << 20;

[[noreturn]] void bad(const std::string& what) { throw Error(ErrorKind::BadFile, what); }

std::string quoted(std::string_view name) { return "'" + std::string(name.substr(0, 200)) + "'"; }

}  // namespace

ZipArchive::ZipArchive(std::shared_ptr<const ByteSource> source) : m_source(std::move(source)) {
  const uint64_t fileSize = m_source->size();
  if (fileSize < kEndSize) bad("the zip archive is too short to be complete (the file is truncated)");
  // The end record sits at the very end, after a comment of up to 65535 bytes: only that tail is read.
  const uint64_t tailStart = fileSize > kEndSize + 0xffff ? fileSize - kEndSize - 0xffff : 0;
  const std::string tail = m_source->read(tailStart, fileSize - tailStart);
  const std::string_view bytes(tail);
  size_t end = std::string_view::npos;
  for (size_t p = bytes.size() - kEndSize + 1; p-- > 0;) {
    if (u32At(bytes, p) == kEndSig && p + kEndSize + u16At(bytes, p + 20) == bytes.size()) {
      end = p;
      break;
    }
  }
  if (end == std::string_view::npos)
    bad("the zip archive has no end-of-central-directory record: the file is truncated or not a zip archive "
        "(copy or download it again)");
  if (u16At(bytes, end + 4) != 0 || u16At(bytes, end + 6) != 0)
    bad("the zip archive is split over several disks, which PyTorch never writes");
  uint64_t count = u16At(bytes, end + 10);
  uint64_t cdSize = u32At(bytes, end + 12);
  uint64_t cdOffset = u32At(bytes, end + 16);
  uint64_t endOffset = tailStart + end;  // in the file
  if (count == 0xffff || cdSize == 0xffffffff || cdOffset == 0xffffffff) {
    // zip64: a locator just before the end record points at the zip64 end record.
    if (endOffset < 20) bad("the zip archive needs a zip64 end record but has none (the file is corrupt)");
    const std::string locator = m_source->read(endOffset - 20, 20);
    if (u32At(locator, 0) != kZip64LocatorSig)
      bad("the zip archive needs a zip64 end record but has none (the file is corrupt)");
    const uint64_t z = u64At(locator, 8);
    if (z > fileSize || fileSize - z < 56)
      bad("the zip archive's zip64 end record is missing or truncated (the file is corrupt)");
    const std::string record = m_source->read(z, 56);
    if (u32At(record, 0) != kZip64EndSig)
      bad("the zip archive's zip64 end record is missing or truncated (the file is corrupt)");
    count = u64At(record, 32);
    cdSize = u64At(record, 40);
    cdOffset = u64At(record, 48);
    endOffset = z;
  }
  if (cdOffset > endOffset || cdSize > endOffset - cdOffset)
    bad("the zip archive's central directory (" + std::to_string(cdSize) + " bytes at offset " +
        std::to_string(cdOffset) + ") lies outside the file: it is truncated or corrupt");
  if (count > cdSize / kCentralHeaderSize)
    bad("the zip archive claims " + std::to_string(count) + " entries in a central directory of " +
        std::to_string(cdSize) + " bytes (the file is corrupt)");
  if (cdSize > kMaxCentralDirectory)
    bad("the zip archive's central directory claims " + std::to_string(cdSize) +
        " bytes, far more than a checkpoint's list of entries (the file is corrupt)");
  m_dataEnd = cdOffset;
  parseCentralDirectory(m_source->read(cdOffset, cdSize), count);
}

void ZipArchive::parseCentralDirectory(std::string_view cd, uint64_t count) {
  m_entries.reserve(static_cast<size_t>(count));
  uint64_t p = 0;
  for (uint64_t i = 0; i < count; ++i) {
    if (!fits(cd, p, kCentralHeaderSize) || u32At(cd, p) != kCentralHeaderSig)
      bad("zip central directory entry " + std::to_string(i) + " is damaged (the file is corrupt)");
    ZipEntry e;
    e.flags = u16At(cd, p + 8);
    e.method = u16At(cd, p + 10);
    e.crc32 = u32At(cd, p + 16);
    e.compressedSize = u32At(cd, p + 20);
    e.size = u32At(cd, p + 24);
    const uint16_t nameLen = u16At(cd, p + 28);
    const uint16_t extraLen = u16At(cd, p + 30);
    const uint16_t commentLen = u16At(cd, p + 32);
    e.localHeaderOffset = u32At(cd, p + 42);
    if (!fits(cd, p + kCentralHeaderSize, uint64_t{nameLen} + extraLen + commentLen))
      bad("zip central directory entry " + std::to_string(i) + " is truncated (the file is corrupt)");
    e.name.assign(cd.substr(static_cast<size_t>(p + kCentralHeaderSize), nameLen));
    // zip64 extra field: the 64-bit values replace, in order, those stored as 0xffffffff.
    std::string_view extra = cd.substr(static_cast<size_t>(p + kCentralHeaderSize + nameLen), extraLen);
    for (size_t x = 0; x + 4 <= extra.size();) {
      const uint16_t id = u16At(extra, x);
      const uint16_t len = u16At(extra, x + 2);
      if (!fits(extra, x + 4, len)) bad("zip entry " + quoted(e.name) + " has a damaged extra field");
      if (id == 0x0001) {
        size_t q = x + 4;
        auto take64 = [&](uint64_t& field) {
          if (field != 0xffffffff) return;
          if (q + 8 > x + 4 + len) bad("zip entry " + quoted(e.name) + " has a truncated zip64 field");
          field = u64At(extra, q);
          q += 8;
        };
        take64(e.size);
        take64(e.compressedSize);
        take64(e.localHeaderOffset);
      }
      x += 4 + len;
    }
    if (e.flags & 0x1) bad("zip entry " + quoted(e.name) + " is encrypted, which PyTorch never writes");
    m_entries.push_back(std::move(e));
    p += kCentralHeaderSize + nameLen + extraLen + commentLen;
  }
  // Index after the vector is complete: names are views into the entries' strings.
  m_index.clear();
  for (size_t i = 0; i < m_entries.size(); ++i)
    if (!m_index.emplace(m_entries[i].name, i).second)
      bad("the zip archive holds two entries named " + quoted(m_entries[i].name) + " (the file is corrupt)");
}

const ZipEntry* ZipArchive::find(std::string_view name) const {
  const auto it = m_index.find(name);
  return it == m_index.end() ? nullptr : &m_entries[it->second];
}

uint64_t ZipArchive::dataStart(const ZipEntry& e) const {
  const uint64_t h = e.localHeaderOffset;
  if (h > m_dataEnd || m_dataEnd - h < kLocalHeaderSize)
    bad("zip entry " + quoted(e.name) +
        " has no local header where the directory says (the file is corrupt)");
  const std::string header = m_source->read(h, kLocalHeaderSize);
  if (u32At(header, 0) != kLocalHeaderSig)
    bad("zip entry " + quoted(e.name) +
        " has no local header where the directory says (the file is corrupt)");
  const uint16_t nameLen = u16At(header, 26);
  const uint16_t extraLen = u16At(header, 28);
  if (nameLen != e.name.size() || m_dataEnd - h - kLocalHeaderSize < nameLen ||
      m_source->read(h + kLocalHeaderSize, nameLen) != e.name)
    bad("zip entry " + quoted(e.name) + " has a local header for a different name (the file is corrupt)");
  if (!(e.flags & 0x8)) {
    // Without a data descriptor the local header repeats the sizes: they must agree with the directory.
    const uint32_t localCompressed = u32At(header, 18);
    const uint32_t localSize = u32At(header, 22);
    const bool zip64 = localCompressed == 0xffffffff || localSize == 0xffffffff;
    if (!zip64 && (localCompressed != e.compressedSize || localSize != e.size))
      bad("zip entry " + quoted(e.name) + " lies about its size: the directory says " +
          std::to_string(e.size) + " bytes, its local header " + std::to_string(localSize) +
          " (the file is corrupt or was tampered with)");
  }
  const uint64_t start = h + kLocalHeaderSize + nameLen + extraLen;
  if (start > m_dataEnd || e.compressedSize > m_dataEnd - start)
    bad("zip entry " + quoted(e.name) + " claims " + std::to_string(e.compressedSize) +
        " bytes, more than the archive holds (the file is truncated or corrupt)");
  checkSizes(e);
  return start;
}

std::string ZipArchive::readSmall(const ZipEntry& e, uint64_t limit) const {
  const uint64_t start = dataStart(e);
  if (e.size > limit)
    bad("zip entry " + quoted(e.name) + " declares " + std::to_string(e.size) +
        " bytes, far more than such an entry holds (the file is corrupt or hostile)");
  std::string out;
  out.reserve(static_cast<size_t>(e.size));
  const uint32_t crc = streamEntry(*m_source, e, start, [&](const char* p, size_t n) { out.append(p, n); });
  checkCrc(e, crc);
  return out;
}

std::shared_ptr<const StorageData> ZipArchive::storage(const ZipEntry& e) const {
  return zipStorage(m_source, e, dataStart(e));
}

}  // namespace maxstate::detail
