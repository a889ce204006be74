#pragma once
// Whether two models can be compared position by position (core-internal).
#include "maxstate/architecture.h"

namespace maxstate::detail {

// Error(Shape) naming the first of kind, variant, hidden size, heads, layers and vocabulary size that
// differs.
void checkSameArchitecture(const ModelInfo& a, const ModelInfo& b);

}  // namespace maxstate::detail
