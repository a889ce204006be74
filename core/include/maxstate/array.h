#pragma once
// A dense row-major array with shared ownership: the one data type of the core's public API.
// Plain C++ so that UI code never sees torch types; the core hands out views of its own buffers
// without copying (the owner keeps the buffer alive).
#include <cstdint>
#include <functional>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

namespace maxstate {

using Shape = std::vector<int64_t>;

inline int64_t shapeNumel(const Shape& shape) {
  return std::accumulate(shape.begin(), shape.end(), int64_t{1}, std::multiplies<int64_t>());
}

std::string shapeToString(const Shape& shape);

template <class T>
class Array {
 public:
  Array() = default;
  // Zero-filled array of the given shape.
  explicit Array(Shape shape) : m_shape(std::move(shape)) {
    const int64_t n = shapeNumel(m_shape);
    m_data = std::shared_ptr<T[]>(new T[static_cast<size_t>(n)]());
  }
  // Wraps memory kept alive by `owner`.
  Array(Shape shape, std::shared_ptr<T[]> data) : m_shape(std::move(shape)), m_data(std::move(data)) {}

  const Shape& shape() const { return m_shape; }
  int ndim() const { return static_cast<int>(m_shape.size()); }
  int64_t dim(int i) const { return m_shape.at(static_cast<size_t>(i < 0 ? i + ndim() : i)); }
  int64_t size() const { return m_data ? shapeNumel(m_shape) : 0; }
  bool empty() const { return size() == 0; }

  T* data() { return m_data.get(); }
  const T* data() const { return m_data.get(); }
  T& operator[](int64_t i) { return m_data[static_cast<size_t>(i)]; }
  const T& operator[](int64_t i) const { return m_data[static_cast<size_t>(i)]; }

  // Flat offset of a multi-index (row-major).
  int64_t offset(std::initializer_list<int64_t> index) const {
    int64_t off = 0;
    size_t k = 0;
    for (int64_t i : index) off = off * m_shape[k++] + i;
    return off;
  }
  const T& at(std::initializer_list<int64_t> index) const { return (*this)[offset(index)]; }
  T& at(std::initializer_list<int64_t> index) { return (*this)[offset(index)]; }

  // A deep copy, for callers that want to modify data they were handed.
  Array clone() const {
    Array out(m_shape);
    std::copy(data(), data() + size(), out.data());
    return out;
  }
  std::shared_ptr<T[]> buffer() const { return m_data; }

 private:
  Shape m_shape;
  std::shared_ptr<T[]> m_data;
};

using FloatArray = Array<float>;
using IndexArray = Array<int64_t>;

}  // namespace maxstate
