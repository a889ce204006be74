#pragma once
// What the zip and legacy formats share once their pickle has run: looking up the state dict and handing its
// tensors, with their storages' bytes, to the builder.
#include <functional>
#include <memory>

#include "checkpoint/pickle_machine.h"
#include "checkpoint/storage_data.h"
#include "maxstate/checkpoint.h"

namespace maxstate::detail {

// Where the root storage `key` lies (not read). Its size is checked here against what the pickle declares.
using StorageResolver = std::function<std::shared_ptr<const StorageData>(const StorageDecl& storage)>;

Checkpoint buildFromPickle(CheckpointFormat format, const PyValue* root, const PickleMachine& machine,
                           const StorageResolver& resolve);

}  // namespace maxstate::detail
