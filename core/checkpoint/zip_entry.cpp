#include "checkpoint/zip_entry.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "maxstate/error.h"

namespace maxstate::detail {
namespace {

// Deflate cannot expand data more than ~1032 times; an entry claiming more is a zip bomb.
constexpr uint64_t kMaxDeflateRatio = 1032;
constexpr uint64_t kMaxInflatedSize = uint64_t{1} << 34;  // 16 GiB
constexpr size_t kChunk = size_t{1} << 20;

[[noreturn]] void bad(const std::string& what) { throw Error(ErrorKind::BadFile, what); }

std::string quoted(std::string_view name) { return "'" + std::string(name.substr(0, 200)) + "'"; }

class Inflater {
 public:
  explicit Inflater(const ZipEntry& e) {
    if (inflateInit2(&m_z, -MAX_WBITS) != Z_OK) bad("cannot start zlib to inflate " + quoted(e.name));
  }
  ~Inflater() { inflateEnd(&m_z); }
  z_stream* operator->() { return &m_z; }
  z_stream& get() { return m_z; }

 private:
  z_stream m_z{};
};

uint32_t inflateEntry(const ByteSource& source, const ZipEntry& e, uint64_t start,
                      const std::function<void(const char*, size_t)>& sink) {
  Inflater z(e);
  const auto in = std::make_unique_for_overwrite<char[]>(kChunk);
  const auto out = std::make_unique_for_overwrite<char[]>(kChunk);
  uint64_t inLeft = e.compressedSize, outLeft = e.size, at = start;
  uint32_t crc = 0;
  int rc = Z_OK;
  while (rc == Z_OK) {
    if (z->avail_in == 0 && inLeft > 0) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(inLeft, kChunk));
      source.readAt(at, n, in.get());
      at += n;
      inLeft -= n;
      z->next_in = reinterpret_cast<Bytef*>(in.get());
      z->avail_in = static_cast<uInt>(n);
    }
    if (outLeft == 0) {
      // The declared size is reached: the stream must end here without producing one more byte.
      unsigned char probe;
      z->next_out = &probe;
      z->avail_out = 1;
      const uInt before = z->avail_in;
      rc = inflate(&z.get(), Z_NO_FLUSH);
      if (z->avail_out == 0)
        bad("zip entry " + quoted(e.name) + " lies about its size: it inflates to more than the " +
            std::to_string(e.size) + " bytes it declares");
      if ((rc == Z_OK || rc == Z_BUF_ERROR) && (z->avail_in < before || (z->avail_in == 0 && inLeft > 0))) {
        rc = Z_OK;  // input consumed (e.g. an empty final block) or more needed to see the stream's end
        continue;
      }
      break;
    }
    const size_t room = static_cast<size_t>(std::min<uint64_t>(outLeft, kChunk));
    z->next_out = reinterpret_cast<Bytef*>(out.get());
    z->avail_out = static_cast<uInt>(room);
    rc = inflate(&z.get(), Z_NO_FLUSH);
    const size_t produced = room - z->avail_out;
    if (produced) {
      crc = crcOf(out.get(), produced, crc);
      sink(out.get(), produced);
      outLeft -= produced;
    }
    if (rc == Z_BUF_ERROR && z->avail_in == 0 && inLeft > 0) rc = Z_OK;
  }
  if (rc != Z_STREAM_END || outLeft != 0)
    bad("zip entry " + quoted(e.name) + " does not inflate to its declared " + std::to_string(e.size) +
        " bytes (the file is truncated or corrupt)");
  return crc;
}

class ZipStorage final : public StorageData {
 public:
  ZipStorage(std::shared_ptr<const ByteSource> source, const ZipEntry& e, uint64_t start)
      : StorageData(source->name()), m_source(std::move(source)), m_entry(e), m_start(start) {}
  uint64_t size() const override { return m_entry.size; }
  bool deflated() const override { return m_entry.method == 8; }

  void read(uint64_t begin, uint64_t length, char* dst) const override {
    if (m_entry.method == 0 && begin == 0 && length == m_entry.size) {
      // The whole stored entry, the usual case for float32: straight into dst, one read.
      readSameVersion(*m_source, [&] {
        m_source->readAt(m_start, length, dst);
        checkCrc(m_entry, crcOf(dst, length));
      });
      return;
    }
    StorageData::read(begin, length, dst);
  }

  // Every byte of the entry passes through the CRC; only the range reaches the sink.
  void stream(uint64_t begin, uint64_t length, const Sink& sink) const override {
    readSameVersion(*m_source, [&] {
      uint64_t at = 0;
      const uint64_t end = begin + length;
      const uint32_t crc = streamEntry(*m_source, m_entry, m_start, [&](const char* p, size_t n) {
        const uint64_t from = std::max(at, begin), to = std::min(at + n, end);
        if (from < to) sink(p + (from - at), static_cast<size_t>(to - from));
        at += n;
      });
      checkCrc(m_entry, crc);
    });
  }

 private:
  std::shared_ptr<const ByteSource> m_source;
  ZipEntry m_entry;
  uint64_t m_start;
};

}  // namespace

uint32_t crcOf(const char* data, uint64_t size, uint32_t crc) {
  uLong c = crc;
  while (size > 0) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(size, uint64_t{1} << 30));  // zlib takes 32 bits
    c = crc32(c, reinterpret_cast<const Bytef*>(data), static_cast<uInt>(n));
    data += n;
    size -= n;
  }
  return static_cast<uint32_t>(c);
}

void checkSizes(const ZipEntry& e) {
  if (e.method == 0) {
    if (e.size != e.compressedSize)
      bad("zip entry " + quoted(e.name) + " lies about its size: stored uncompressed, yet " +
          std::to_string(e.compressedSize) + " bytes on disk and " + std::to_string(e.size) + " declared");
  } else if (e.method == 8) {
    if (e.size > kMaxInflatedSize || e.size > e.compressedSize * kMaxDeflateRatio + 1024)
      bad("zip entry " + quoted(e.name) + " claims to inflate from " + std::to_string(e.compressedSize) +
          " to " + std::to_string(e.size) + " bytes, more than deflate can (a zip bomb or a corrupt file)");
  } else {
    bad("zip entry " + quoted(e.name) + " uses compression method " + std::to_string(e.method) +
        ", which this reader does not support (torch.save stores entries uncompressed: save the file again)");
  }
}

uint32_t streamEntry(const ByteSource& source, const ZipEntry& e, uint64_t start,
                     const std::function<void(const char*, size_t)>& sink) {
  if (e.method == 8) return inflateEntry(source, e, start, sink);
  const auto buffer = std::make_unique_for_overwrite<char[]>(kChunk);
  uint32_t crc = 0;
  for (uint64_t done = 0; done < e.size;) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(e.size - done, kChunk));
    source.readAt(start + done, n, buffer.get());
    crc = crcOf(buffer.get(), n, crc);
    sink(buffer.get(), n);
    done += n;
  }
  return crc;
}

void checkCrc(const ZipEntry& e, uint32_t crc) {
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION  // fuzzing: let mutated entries reach the parsers behind it
  if (crc != e.crc32)
    bad("zip entry " + quoted(e.name) +
        " fails its CRC-32 check: the file is corrupt (copy or download it again)");
#else
  (void)e;
  (void)crc;
#endif
}

std::shared_ptr<const StorageData> zipStorage(std::shared_ptr<const ByteSource> source, const ZipEntry& entry,
                                              uint64_t start) {
  return std::make_shared<ZipStorage>(std::move(source), entry, start);
}

}  // namespace maxstate::detail
