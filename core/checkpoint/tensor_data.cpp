#include "checkpoint/tensor_data.h"

#include <algorithm>
#include <cstring>
#include <new>

#include "checkpoint/dtype_convert.h"
#include "maxstate/checkpoint.h"
#include "maxstate/error.h"

namespace maxstate::detail {
namespace {

// A view of a storage in the file: only the bytes the view spans are kept, then converted.
class LazyTensor final : public TensorData {
 public:
  LazyTensor(TensorView view, int64_t numel) : m_view(std::move(view)), m_numel(numel) {
    int64_t last = m_view.offset;  // checkView proved these sums stay within the storage
    for (size_t i = 0; i < m_view.shape.size(); ++i) last += (m_view.shape[i] - 1) * m_view.stride[i];
    m_elements = m_numel == 0 ? 0 : last + 1 - m_view.offset;
    m_contiguous = isContiguous(m_view.shape, m_view.stride);
  }

  uint64_t readBytes() const override {
    return static_cast<uint64_t>(m_elements) * static_cast<uint64_t>(elementSize(m_view.dtype));
  }
  uint64_t bufferBytes() const override { return m_contiguous ? 0 : readBytes(); }

  void readInto(float* dst) const override {
    if (m_numel == 0) return;
    const std::string& file = m_view.storage->fileName();
    try {
      const uint64_t begin =
          m_view.storageBegin + static_cast<uint64_t>(m_view.offset) * uint64_t(elementSize(m_view.dtype));
      if (m_contiguous && m_view.dtype == DType::Float32)
        m_view.storage->read(begin, readBytes(), reinterpret_cast<char*>(dst));
      else if (m_contiguous)
        streamConverted(begin, dst);
      else
        readStrided(begin, dst);
    } catch (const Error& e) {
      throw Error(e.kind(), file + ": " + e.what());
    } catch (const std::bad_alloc&) {
      throw Error(ErrorKind::BadFile,
                  file + ": not enough memory to read a tensor of " + std::to_string(readBytes()) + " bytes");
    }
  }

 private:
  // Converted chunk by chunk as the bytes arrive: no buffer the size of the tensor.
  void streamConverted(uint64_t begin, float* dst) const {
    const auto es = static_cast<size_t>(elementSize(m_view.dtype));
    char carry[16];
    size_t carried = 0, done = 0;
    m_view.storage->stream(begin, readBytes(), [&](const char* p, size_t n) {
      if (carried > 0) {  // an element split between two chunks
        const size_t take = std::min(es - carried, n);
        std::memcpy(carry + carried, p, take);
        carried += take;
        p += take;
        n -= take;
        if (carried < es) return;
        convertContiguous(m_view.dtype, carry, dst + done++, 1);
        carried = 0;
      }
      const size_t whole = n / es;
      convertContiguous(m_view.dtype, p, dst + done, whole);
      done += whole;
      carried = n - whole * es;
      std::memcpy(carry, p + whole * es, carried);
    });
  }

  void readStrided(uint64_t begin, float* dst) const {
    const uint64_t length = readBytes();
    const auto bytes = std::make_unique_for_overwrite<char[]>(static_cast<size_t>(length));
    m_view.storage->read(begin, length, bytes.get());
    convertStrided(m_view.dtype, bytes.get(), 0, m_view.shape, m_view.stride, dst);
  }

  TensorView m_view;
  int64_t m_numel = 0;
  int64_t m_elements = 0;  // storage elements from the view's first to its last
  bool m_contiguous = false;
};

class MemoryTensor final : public TensorData {
 public:
  explicit MemoryTensor(FloatArray values) : m_values(std::move(values)) {}
  void readInto(float* dst) const override {
    std::copy(m_values.data(), m_values.data() + m_values.size(), dst);
  }
  FloatArray values(const Shape&) const override { return m_values; }
  uint64_t readBytes() const override { return 0; }
  uint64_t bufferBytes() const override { return 0; }

 private:
  FloatArray m_values;
};

}  // namespace

FloatArray TensorData::values(const Shape& shape) const {
  const auto n = static_cast<size_t>(shapeNumel(shape));
  FloatArray out(shape, std::shared_ptr<float[]>(new float[std::max<size_t>(n, 1)]));
  readInto(out.data());
  return out;
}

std::shared_ptr<const TensorData> lazyTensor(TensorView view, int64_t numel) {
  return std::make_shared<LazyTensor>(std::move(view), numel);
}

std::shared_ptr<const TensorData> memoryTensor(FloatArray values) {
  return std::make_shared<MemoryTensor>(std::move(values));
}

}  // namespace maxstate::detail

namespace maxstate {

CheckpointTensor::CheckpointTensor(FloatArray values, StorageType storedAs)
    : m_shape(values.shape()), m_storedAs(storedAs), m_data(detail::memoryTensor(std::move(values))) {}

CheckpointTensor::CheckpointTensor(Shape shape, StorageType storedAs,
                                   std::shared_ptr<const detail::TensorData> data)
    : m_shape(std::move(shape)), m_storedAs(storedAs), m_data(std::move(data)) {}

uint64_t CheckpointTensor::storedBytes() const { return m_data ? m_data->readBytes() : 0; }

uint64_t CheckpointTensor::readBufferBytes() const { return m_data ? m_data->bufferBytes() : 0; }

FloatArray CheckpointTensor::values() const { return m_data ? m_data->values(m_shape) : FloatArray(m_shape); }

void CheckpointTensor::readInto(float* dst) const {
  if (m_data)
    m_data->readInto(dst);
  else
    std::fill(dst, dst + numel(), 0.0f);
}

}  // namespace maxstate
