#pragma once
// Where a CheckpointTensor's values come from: a view of a storage in the file, read and converted to
// float32 on request, or a float32 array already in memory (synthetic checkpoints in tests).
#include <memory>

#include "checkpoint/tensor_view.h"
#include "maxstate/array.h"

namespace maxstate::detail {

class TensorData {
 public:
  virtual ~TensorData() = default;
  // The tensor's numel values, row-major, into dst. Errors name the file.
  virtual void readInto(float* dst) const = 0;
  virtual FloatArray values(const Shape& shape) const;
  // How many bytes of storage a read reads, and how much of that it holds in memory at once besides the
  // float32 result (contiguous tensors are converted as they stream: 0).
  virtual uint64_t readBytes() const = 0;
  virtual uint64_t bufferBytes() const = 0;
};

// A view already checked with checkView (numel is what it returned).
std::shared_ptr<const TensorData> lazyTensor(TensorView view, int64_t numel);
std::shared_ptr<const TensorData> memoryTensor(FloatArray values);

}  // namespace maxstate::detail
