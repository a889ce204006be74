#pragma once
// One reader per checkpoint format; each throws Error(BadFile / Unsupported) with a message that does not yet
// name the file (readCheckpoint adds it).
#include <string_view>

#include "maxstate/checkpoint.h"

namespace maxstate::detail {

Checkpoint readTorchZip(std::string_view bytes);     // torch.save (zip) and torch.jit.save archives
Checkpoint readTorchLegacy(std::string_view bytes);  // torch.save(..., _use_new_zipfile_serialization=False)
Checkpoint readSafetensors(std::string_view bytes);

// Cheap checks of the first bytes, used to pick the reader.
bool looksLikeZip(std::string_view bytes);
bool looksLikeLegacy(std::string_view bytes);
bool looksLikeSafetensors(std::string_view bytes);

}  // namespace maxstate::detail
