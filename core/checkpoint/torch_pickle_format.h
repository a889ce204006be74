#pragma once
// What the zip and legacy formats share once their pickle has run: looking up the state dict and handing its
// tensors, with their storages' bytes, to the builder.
#include <functional>
#include <string_view>

#include "checkpoint/pickle_machine.h"
#include "maxstate/checkpoint.h"

namespace maxstate::detail {

// Returns the bytes of the root storage `key` (all of them; at least rootNumel elements is checked here).
using StorageResolver = std::function<std::string_view(const StorageDecl& storage)>;

Checkpoint buildFromPickle(CheckpointFormat format, const PyValue* root, const PickleMachine& machine,
                           const StorageResolver& resolve);

}  // namespace maxstate::detail
