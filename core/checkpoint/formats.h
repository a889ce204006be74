#pragma once
// One reader per checkpoint format; each throws Error(BadFile / Unsupported) with a message that does not yet
// name the file (readCheckpoint adds it).
#include <memory>
#include <string_view>

#include "checkpoint/byte_source.h"
#include "maxstate/checkpoint.h"

namespace maxstate::detail {

// Each reads only what the file declares: the storages are left for the tensors to read on use.
using Source = std::shared_ptr<const ByteSource>;
Checkpoint readTorchZip(const Source& source);     // torch.save (zip) and torch.jit.save archives
Checkpoint readTorchLegacy(const Source& source);  // torch.save(..., _use_new_zipfile_serialization=False)
Checkpoint readSafetensors(const Source& source);

// Cheap checks of the first bytes (`head`) of a file of `size` bytes, used to pick the reader.
bool looksLikeZip(std::string_view head);
bool looksLikeLegacy(std::string_view head);
bool looksLikeSafetensors(std::string_view head, uint64_t size);

}  // namespace maxstate::detail
