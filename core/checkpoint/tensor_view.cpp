#include "checkpoint/tensor_view.h"

#include "checkpoint/byte_reader.h"

namespace maxstate::detail {

std::string checkView(const Shape& shape, const Shape& stride, int64_t offset, int64_t storageElements,
                      DType dtype, int64_t& numel) {
  numel = 0;
  if (shape.size() > kMaxDims) return "a tensor with " + std::to_string(shape.size()) + " dimensions";
  if (stride.size() != shape.size())
    return "a tensor of shape " + shapeToString(shape) + " with " + std::to_string(stride.size()) +
           " strides";
  if (offset < 0) return "a tensor at negative storage offset " + std::to_string(offset);
  int64_t n = 1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] < 0) return "a tensor of negative size " + shapeToString(shape);
    if (stride[i] < 0) return "a tensor with negative stride " + shapeToString(stride);
    if (!mulWithin(n, shape[i], kMaxElements, n))
      return "a tensor of shape " + shapeToString(shape) + ", far more elements than any checkpoint holds";
  }
  const std::string where = "a tensor of shape " + shapeToString(shape) + " (strides " +
                            shapeToString(stride) + ", offset " + std::to_string(offset) +
                            ") over a storage of only " + std::to_string(storageElements) + " " +
                            dtypeName(dtype) + " elements";
  if (n == 0) {
    if (offset > storageElements) return where;
    return {};
  }
  // The last element the view touches must exist: offset + sum((size - 1) * stride) < storage size.
  int64_t last = offset;
  for (size_t i = 0; i < shape.size(); ++i) {
    int64_t step = 0;
    if (!mulWithin(shape[i] - 1, stride[i], kMaxElements, step) || !addWithin(last, step, kMaxElements, last))
      return where;
  }
  if (last >= storageElements) return where;
  numel = n;
  return {};
}

bool isContiguous(const Shape& shape, const Shape& stride) {
  int64_t expected = 1;
  for (size_t i = shape.size(); i-- > 0;) {
    if (shape[i] == 1) continue;  // the stride of a size-1 dimension never matters
    if (stride[i] != expected) return false;
    expected *= shape[i];
  }
  return true;
}

}  // namespace maxstate::detail
