#pragma once
// What a list of edits does to a sequence (core-internal): the edited ids, each edited position's base
// position, every layer's interventions at their final positions, and where the edited run can first differ.
#include <optional>
#include <vector>

#include "maxstate/architecture.h"
#include "maxstate/whatif.h"
#include "model/state_edits.h"

namespace maxstate::detail {

struct EditPlan {
  std::vector<int64_t> ids;  // models: the edited ids
  int64_t length = 0;        // of the edited run
  std::vector<std::optional<int64_t>> baseOf;
  std::vector<LayerEdits> layers;  // one per layer
  int64_t firstAffected = 0;       // the length when nothing left can differ (the last token deleted)
};

// `ids`: the base run's ids (empty for a bare layer, whose length is `length`). Error(Usage) naming the edit
// (its number and SPEC form) and what is wrong with it.
EditPlan planEdits(const std::vector<Edit>& edits, const std::vector<int64_t>& ids, int64_t length,
                   const ModelInfo& info);

}  // namespace maxstate::detail
