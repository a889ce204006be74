#pragma once
// The per-position comparison of a what-if run with its base (core-internal): KL of the next-token
// distributions and both runs' top-1 tokens.
#include "maxstate/whatif.h"

namespace maxstate::detail {

// Fills what.kl, top1Base and top1Edited (models). Positions before `start` share the base's computation:
// their KL is exactly 0 and nothing is recomputed for them.
void compareRuns(WhatIf& what, int64_t start, const Progress& progress);

}  // namespace maxstate::detail
