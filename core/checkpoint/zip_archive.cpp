#include "checkpoint/zip_archive.h"

#include <zlib.h>

#include <algorithm>
#include <limits>

#include "checkpoint/byte_reader.h"
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
// Deflate cannot expand data more than ~1032 times; an entry claiming more is a zip bomb.
constexpr uint64_t kMaxDeflateRatio = 1032;
constexpr uint64_t kMaxInflatedSize = uint64_t{1} << 34;  // 16 GiB

[[noreturn]] void bad(const std::string& what) { throw Error(ErrorKind::BadFile, what); }

std::string quoted(std::string_view name) { return "'" + std::string(name.substr(0, 200)) + "'"; }

// CRC-32 in chunks: zlib's length argument is 32-bit.
uint32_t crcOf(std::string_view data) {
  uLong crc = crc32(0L, Z_NULL, 0);
  const char* p = data.data();
  size_t left = data.size();
  while (left > 0) {
    const size_t n = std::min<size_t>(left, size_t{1} << 30);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(p), static_cast<uInt>(n));
    p += n;
    left -= n;
  }
  return static_cast<uint32_t>(crc);
}

}  // namespace

ZipArchive::ZipArchive(std::string_view bytes) : m_bytes(bytes) {
  if (bytes.size() < kEndSize) bad("the zip archive is too short to be complete (the file is truncated)");
  // The end record sits at the very end, after a comment of up to 65535 bytes.
  size_t end = std::string_view::npos;
  const size_t lowest = bytes.size() > kEndSize + 0xffff ? bytes.size() - kEndSize - 0xffff : 0;
  for (size_t p = bytes.size() - kEndSize + 1; p-- > lowest;) {
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
  if (count == 0xffff || cdSize == 0xffffffff || cdOffset == 0xffffffff) {
    // zip64: a locator just before the end record points at the zip64 end record.
    if (end < 20 || u32At(bytes, end - 20) != kZip64LocatorSig)
      bad("the zip archive needs a zip64 end record but has none (the file is corrupt)");
    const uint64_t z = u64At(bytes, end - 20 + 8);
    if (!fits(bytes, z, 56) || u32At(bytes, z) != kZip64EndSig)
      bad("the zip archive's zip64 end record is missing or truncated (the file is corrupt)");
    count = u64At(bytes, z + 32);
    cdSize = u64At(bytes, z + 40);
    cdOffset = u64At(bytes, z + 48);
    end = static_cast<size_t>(z);
  }
  if (!fits(bytes, cdOffset, cdSize) || cdOffset + cdSize > end)
    bad("the zip archive's central directory (" + std::to_string(cdSize) + " bytes at offset " +
        std::to_string(cdOffset) + ") lies outside the file: it is truncated or corrupt");
  if (count > cdSize / kCentralHeaderSize)
    bad("the zip archive claims " + std::to_string(count) + " entries in a central directory of " +
        std::to_string(cdSize) + " bytes (the file is corrupt)");
  m_dataEnd = cdOffset;
  parseCentralDirectory(cdOffset, cdSize, count);
}

void ZipArchive::parseCentralDirectory(uint64_t offset, uint64_t size, uint64_t count) {
  const std::string_view cd = m_bytes.substr(static_cast<size_t>(offset), static_cast<size_t>(size));
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

std::string_view ZipArchive::dataOf(const ZipEntry& e) const {
  const uint64_t h = e.localHeaderOffset;
  if (!fits(m_bytes, h, kLocalHeaderSize) || u32At(m_bytes, h) != kLocalHeaderSig)
    bad("zip entry " + quoted(e.name) +
        " has no local header where the directory says (the file is corrupt)");
  const uint16_t nameLen = u16At(m_bytes, h + 26);
  const uint16_t extraLen = u16At(m_bytes, h + 28);
  if (!fits(m_bytes, h + kLocalHeaderSize, nameLen) ||
      m_bytes.substr(static_cast<size_t>(h + kLocalHeaderSize), nameLen) != e.name)
    bad("zip entry " + quoted(e.name) + " has a local header for a different name (the file is corrupt)");
  if (!(e.flags & 0x8)) {
    // Without a data descriptor the local header repeats the sizes: they must agree with the directory.
    const uint32_t localCompressed = u32At(m_bytes, h + 18);
    const uint32_t localSize = u32At(m_bytes, h + 22);
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
  return m_bytes.substr(static_cast<size_t>(start), static_cast<size_t>(e.compressedSize));
}

std::string_view ZipArchive::read(const ZipEntry& e, bool checkCrc) const {
  const std::string_view raw = dataOf(e);
  std::string_view data;
  if (e.method == 0) {
    if (e.size != e.compressedSize)
      bad("zip entry " + quoted(e.name) + " lies about its size: stored uncompressed, yet " +
          std::to_string(e.compressedSize) + " bytes on disk and " + std::to_string(e.size) + " declared");
    data = raw;
  } else if (e.method == 8) {
    if (e.size > kMaxInflatedSize || e.size > e.compressedSize * kMaxDeflateRatio + 1024)
      bad("zip entry " + quoted(e.name) + " claims to inflate from " + std::to_string(e.compressedSize) +
          " to " + std::to_string(e.size) + " bytes, more than deflate can (a zip bomb or a corrupt file)");
    auto out = std::make_unique<std::string>(static_cast<size_t>(e.size), '\0');
    z_stream z{};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK) bad("cannot start zlib to inflate " + quoted(e.name));
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
    z.next_out = reinterpret_cast<Bytef*>(out->data());
    uint64_t inLeft = raw.size(), outLeft = out->size();
    int rc = Z_OK;
    bool tooBig = false;
    while (rc == Z_OK) {
      if (outLeft == 0) {
        // The declared size is reached: the stream must end here without producing one more byte.
        unsigned char probe;
        z.next_out = &probe;
        z.avail_out = 1;
        z.avail_in = static_cast<uInt>(std::min<uint64_t>(inLeft, 1u << 30));
        rc = inflate(&z, Z_NO_FLUSH);
        tooBig = z.avail_out == 0;
        break;
      }
      const uInt inChunk = static_cast<uInt>(std::min<uint64_t>(inLeft, 1u << 30));
      const uInt outChunk = static_cast<uInt>(std::min<uint64_t>(outLeft, 1u << 30));
      z.avail_in = inChunk;
      z.avail_out = outChunk;
      rc = inflate(&z, Z_NO_FLUSH);
      inLeft -= inChunk - z.avail_in;
      outLeft -= outChunk - z.avail_out;
    }
    inflateEnd(&z);
    if (tooBig)
      bad("zip entry " + quoted(e.name) + " lies about its size: it inflates to more than the " +
          std::to_string(e.size) + " bytes it declares");
    if (rc != Z_STREAM_END || outLeft != 0)
      bad("zip entry " + quoted(e.name) + " does not inflate to its declared " + std::to_string(e.size) +
          " bytes (the file is truncated or corrupt)");
    data = *out;
    m_inflated.push_back(std::move(out));
  } else {
    bad("zip entry " + quoted(e.name) + " uses compression method " + std::to_string(e.method) +
        ", which this reader does not support (torch.save stores entries uncompressed: save the file again)");
  }
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
  checkCrc = false;  // fuzzing: let mutated entries reach the parsers behind the CRC
#endif
  if (checkCrc && crcOf(data) != e.crc32)
    bad("zip entry " + quoted(e.name) +
        " fails its CRC-32 check: the file is corrupt (copy or download it again)");
  return data;
}

}  // namespace maxstate::detail
