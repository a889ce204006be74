#pragma once
#include <string>

namespace maxstate {

std::string version();
// The BLAS library LibTorch's matrix products actually run on, e.g. "OpenBLAS 0.3.21 ... (…/openblas-pthread/libblas.so.3)".
// Found without LibTorch: the libblas.so.3 the loader resolves, loaded (not run) to ask it what it is.
std::string blasInfo();
bool blasIsOptimised();  // false for the reference BLAS, which is ~30x slower

}  // namespace maxstate
