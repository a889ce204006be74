#pragma once
// Zero-copy bridges between the public Array type and ATen tensors (core-internal).
#include <ATen/ATen.h>

#include "maxstate/array.h"

namespace maxstate::detail {

// The array keeps the (contiguous) tensor alive; no copy when `t` already is contiguous float32/int64.
FloatArray toFloatArray(const at::Tensor& t);
IndexArray toIndexArray(const at::Tensor& t);
// The tensor keeps the array's buffer alive; no copy.
at::Tensor toTensor(const FloatArray& a);
at::Tensor toTensor(const IndexArray& a);

}  // namespace maxstate::detail
