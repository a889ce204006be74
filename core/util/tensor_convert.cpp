#include "util/tensor_convert.h"

namespace maxstate::detail {
namespace {

template <class T>
Array<T> wrap(const at::Tensor& t, at::ScalarType type) {
  at::Tensor c = t.to(type).contiguous();
  Shape shape(c.sizes().begin(), c.sizes().end());
  T* ptr = c.data_ptr<T>();
  // The deleter owns a reference to the tensor: the buffer lives as long as any array copy.
  std::shared_ptr<T[]> buffer(ptr, [keep = std::move(c)](T*) mutable { keep.reset(); });
  return Array<T>(std::move(shape), std::move(buffer));
}

template <class T>
at::Tensor unwrap(const Array<T>& a, at::ScalarType type) {
  std::vector<int64_t> sizes(a.shape().begin(), a.shape().end());
  if (a.size() == 0) return at::empty(sizes, at::TensorOptions().dtype(type));
  auto buffer = a.buffer();
  return at::from_blob(
      const_cast<T*>(a.data()), sizes, [buffer](void*) mutable { buffer.reset(); },
      at::TensorOptions().dtype(type));
}

}  // namespace

FloatArray toFloatArray(const at::Tensor& t) { return wrap<float>(t, at::kFloat); }
IndexArray toIndexArray(const at::Tensor& t) { return wrap<int64_t>(t, at::kLong); }
at::Tensor toTensor(const FloatArray& a) { return unwrap(a, at::kFloat); }
at::Tensor toTensor(const IndexArray& a) { return unwrap(a, at::kLong); }

}  // namespace maxstate::detail
