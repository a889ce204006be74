#include "checkpoint/storage_data.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include "maxstate/error.h"

namespace maxstate::detail {
namespace {

constexpr size_t kChunk = size_t{4} << 20;

class RangeStorage final : public StorageData {
 public:
  RangeStorage(std::shared_ptr<const ByteSource> source, uint64_t offset, uint64_t size)
      : StorageData(source->name()), m_source(std::move(source)), m_offset(offset), m_size(size) {}
  uint64_t size() const override { return m_size; }
  void read(uint64_t begin, uint64_t length, char* dst) const override {
    readSameVersion(*m_source, [&] { m_source->readAt(m_offset + begin, length, dst); });
  }
  void stream(uint64_t begin, uint64_t length, const Sink& sink) const override {
    readSameVersion(*m_source, [&] {
      const auto buffer = std::make_unique_for_overwrite<char[]>(kChunk);
      for (uint64_t done = 0; done < length;) {
        const size_t n = static_cast<size_t>(std::min<uint64_t>(length - done, kChunk));
        m_source->readAt(m_offset + begin + done, n, buffer.get());
        sink(buffer.get(), n);
        done += n;
      }
    });
  }

 private:
  std::shared_ptr<const ByteSource> m_source;
  uint64_t m_offset, m_size;
};

}  // namespace

void StorageData::read(uint64_t begin, uint64_t length, char* dst) const {
  uint64_t at = 0;
  stream(begin, length, [&](const char* p, size_t n) {
    std::memcpy(dst + at, p, n);
    at += n;
  });
}

std::shared_ptr<const StorageData> rangeStorage(std::shared_ptr<const ByteSource> source, uint64_t offset,
                                                uint64_t size) {
  return std::make_shared<RangeStorage>(std::move(source), offset, size);
}

void readSameVersion(const ByteSource& source, const std::function<void()>& read) {
  try {
    source.checkUnchanged();
    read();
    source.checkUnchanged();
  } catch (const Error&) {
    if (source.changed()) throwChanged();
    throw;
  }
}

}  // namespace maxstate::detail
