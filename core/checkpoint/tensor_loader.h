#pragma once
// Reading the tensors a model uses into one float32 allocation, and how much memory that takes.
#include <cstdint>
#include <string>
#include <vector>

#include "checkpoint/key_reader.h"
#include "maxstate/checkpoint.h"

namespace maxstate::detail {

// The bytes loadTensors allocates for `keys`: their float32 values (padded as in the arena) plus the
// largest read buffer (strided views only; the others are converted as they stream).
uint64_t loadBytesNeeded(const Checkpoint& checkpoint, const std::vector<std::string>& keys);

// Reads and converts every tensor in `keys` (checked: same file version, CRC-32). All arrays are views into
// one allocation (one huge-page-backed block is far faster to fill than many), freed with the last of them.
TensorMap loadTensors(const Checkpoint& checkpoint, const std::vector<std::string>& keys);

}  // namespace maxstate::detail
