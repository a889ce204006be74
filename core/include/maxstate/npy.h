#pragma once
// NumPy .npy files (format 1.0-3.0, little-endian, C order): the exchange format of traces and tests.
#include <string>

#include "maxstate/array.h"

namespace maxstate {

// Reads float16/32/64 as float32 and any integer dtype as int64. Throws Error(BadFile) with the reason.
FloatArray readNpyFloat(const std::string& path);
IndexArray readNpyIndex(const std::string& path);

// Atomic writes: a temporary file in the same folder, renamed over `path` once complete.
void writeNpy(const std::string& path, const FloatArray& a);
void writeNpy(const std::string& path, const IndexArray& a);
void writeNpy(const std::string& path, const Array<double>& a);   // float64
void writeNpy(const std::string& path, const Array<uint8_t>& a);  // uint8 (flags, e.g. source_same.npy)

}  // namespace maxstate
