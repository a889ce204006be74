#pragma once
// Applying a layer's interventions (model/state_edits.h) to the branches of one chunk, positions
// [begin, begin + S) in the module's layout [1, dh, S, H] (core-internal; runLayer's helpers).
#include <ATen/ATen.h>

#include "model/state_edits.h"

namespace maxstate::detail {

// Branch c as the running max sees it: -inf at the knocked-out positions and heads of the chunk (the terms
// keep the real c). Returns `c` itself when no knock-out falls in the chunk.
at::Tensor knockedOut(const at::Tensor& c, const LayerEdits& edits, int64_t begin);

// Zero and freeze: overwrites the state the terms see and its sources (copies when anything changes; the
// carried state is not touched). `before` / `beforeSource` are the state and sources at begin - 1 ([1, dh, 1,
// H]; undefined at the start), where a freeze from `begin` takes its values.
void overwriteState(at::Tensor& e, at::Tensor& source, const LayerEdits& edits, int64_t begin,
                    const at::Tensor& before, const at::Tensor& beforeSource);

// Dropped terms: zeroes term `term` (0-based) of the edited heads from their position on, in place.
void dropTerm(at::Tensor& value, int term, const LayerEdits& edits, int64_t begin);

}  // namespace maxstate::detail
