#pragma once
// A tensor as a checkpoint describes it: a strided view into a storage of some element type. Nothing here is
// trusted until checkView() has accepted it against the storage's real size.
#include <string>
#include <string_view>

#include "checkpoint/dtype.h"
#include "maxstate/array.h"

namespace maxstate::detail {

struct TensorView {
  DType dtype = DType::Float32;
  std::string_view storage;  // the storage's bytes, from element 0
  int64_t offset = 0;        // in elements
  Shape shape;
  Shape stride;  // in elements
};

// Largest tensor (elements) and dimension count a reader accepts: far above any model this tool handles, far
// below what would overflow size computations.
inline constexpr int64_t kMaxElements = int64_t{1} << 40;
inline constexpr size_t kMaxDims = 64;

// Checks shape, strides and offset against a storage of `storageElements` elements. Returns an empty string
// when the view stays inside the storage, else a sentence saying what is wrong. Sets `numel`.
std::string checkView(const Shape& shape, const Shape& stride, int64_t offset, int64_t storageElements,
                      DType dtype, int64_t& numel);

// Whether the view is one dense row-major block.
bool isContiguous(const Shape& shape, const Shape& stride);

}  // namespace maxstate::detail
