#pragma once
// Storage elements to float32, exactly (float16/bfloat16 widen without rounding; float64 rounds to nearest,
// as torch's .float()). The hot loop of reading a checkpoint: F16C when the CPU has it, an exact scalar
// fallback.
#include <cstddef>
#include <cstdint>

#include "checkpoint/dtype.h"
#include "maxstate/array.h"

namespace maxstate::detail {

// n contiguous elements of a floating dtype (isFloating) at `src` (any alignment) into `dst`.
void convertContiguous(DType dtype, const char* src, float* dst, size_t n);

// A strided view (already checked with checkView) into a dense row-major float32 array of shape.size() dims.
void convertStrided(DType dtype, const char* storage, int64_t offset, const Shape& shape, const Shape& stride,
                    float* dst);

// The scalar half -> float conversion, and whether the F16C path is in use (for tests).
float halfToFloatExact(uint16_t h);
void halfToFloatScalar(const uint16_t* src, float* dst, size_t n);
void halfToFloatFast(const uint16_t* src, float* dst, size_t n);
bool hasF16C();

}  // namespace maxstate::detail
