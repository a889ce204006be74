#pragma once
// A tensor as a checkpoint describes it: a strided view into a storage of some element type. Nothing here is
// trusted until checkView() has accepted it against the storage's declared size.
#include <memory>
#include <string>

#include "checkpoint/dtype.h"
#include "checkpoint/storage_data.h"
#include "maxstate/array.h"

namespace maxstate::detail {

struct TensorView {
  DType dtype = DType::Float32;
  std::shared_ptr<const StorageData> storage;  // where the storage's bytes are (not read yet)
  uint64_t storageBegin = 0;                   // bytes into `storage` where element 0 is
  int64_t storageElements = 0;                 // elements from there on
  int64_t offset = 0;                          // in elements
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
