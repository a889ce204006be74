#pragma once
#include <string>

namespace maxstate {

std::string version();
// The BLAS library LibTorch's matrix products actually run on, e.g. "OpenBLAS 0.3.21 ... (…/openblas-pthread/libblas.so.3)".
// Runs one small matrix product first so that the library is loaded.
std::string blasInfo();
bool blasIsOptimised();  // false for the reference BLAS, which is ~30x slower

}  // namespace maxstate
