#pragma once
// Interventions inside one MaxStateSuper layer (SPEC.md section 5), as runLayer applies them (core-internal).
// Positions are global; the public form of an edit is maxstate::Edit (maxstate/whatif.h).
#include <cstdint>
#include <vector>

namespace maxstate::detail {

struct StateEdit {
  enum class Kind { Knockout, Zero, Freeze, DropTerm };
  Kind kind = Kind::Knockout;
  int64_t position = 0;  // Knockout: the position kept out of the running max; others: the first one affected
  int64_t head = -1;     // -1: every head (Knockout only)
  int term = 0;          // DropTerm: 0-based (T1 is 0)
};

// One layer's, applied in the order given: knock-outs change the running max, then zero and freeze overwrite
// the state the terms see (a later one over an earlier one), then dropped terms leave the sum.
using LayerEdits = std::vector<StateEdit>;

}  // namespace maxstate::detail
