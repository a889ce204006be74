#pragma once
// Finding the model's weights in what a pickle holds (SPEC.md section 3): the top object if it maps names to
// tensors; else the state dict under "model" / "state_dict" (and the other usual keys); else the single value
// of a one-key dict or one-element list; for TorchScript, the module object's attributes flattened to dotted
// names.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checkpoint/pickle_value.h"

namespace maxstate::detail {

struct FoundEntry {
  std::string name;      // as in the file (prefixes are removed later)
  const PyValue* value;  // a tensor, or something else that will be listed as skipped
};

struct FoundStateDict {
  std::vector<FoundEntry> entries;
  std::vector<std::string> skipped;  // sibling entries of a wrapper ("optimizer", "epoch", ...)
  // A wrapper's integer "epoch" and "step" ("global_step") entries; an outer wrapper's win over an inner's.
  std::optional<int64_t> epoch, step;
};

// Throws Error(Unsupported) saying what the file holds when no state dict is found.
FoundStateDict findStateDict(const PyValue* root);

// TorchScript: a module object's attribute tree as dotted names (submodules recursed, tensors kept).
FoundStateDict flattenModule(const PyValue* module);

}  // namespace maxstate::detail
