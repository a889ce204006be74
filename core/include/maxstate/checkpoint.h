#pragma once
// Reading PyTorch checkpoints (SPEC.md section 3) into named float32 tensors, without LibTorch and without
// executing anything from the file: pickles run on an allow-listed interpreter, every size is checked.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "maxstate/array.h"

namespace maxstate {

enum class CheckpointFormat { TorchZip, TorchLegacy, Safetensors, TorchScript };
const char* formatName(CheckpointFormat f);  // "torch-zip", "torch-legacy", "safetensors", "torchscript"

enum class StorageType { Float32, Float16, BFloat16, Float64 };
const char* storageTypeName(StorageType t);  // "float32", "float16", "bfloat16", "float64"

struct CheckpointTensor {
  FloatArray values;   // always float32 (converted from the storage dtype); a 0-dim tensor has shape {}
  StorageType storedAs = StorageType::Float32;
};

struct Checkpoint {
  CheckpointFormat format = CheckpointFormat::TorchZip;
  // The model's floating-point tensors by name, with `module.` / `_orig_mod.` prefixes removed. For resume
  // files ({"model": sd, "optimizer": ...}) only the state dict under "model" / "state_dict".
  // All arrays are views into one allocation (one huge-page-backed block is far faster to fill than many),
  // which is freed when the last of them is released.
  std::map<std::string, CheckpointTensor> tensors;
  // Names of entries that were present but not kept (integer buffers, ...), for messages. For a resume file
  // this also lists the wrapper's other keys ("optimizer", "epoch", ...).
  std::vector<std::string> skipped;
};

// Throws Error(BadFile) for missing, corrupt, truncated or hostile files (the message names the problem, e.g. the
// refused global `posix.system`), Error(Unsupported) for readable files that hold no state dict we understand.
Checkpoint readCheckpoint(const std::string& path);
// The same from bytes in memory; `name` is used in messages and to tell .safetensors by extension. For fuzzing.
Checkpoint readCheckpointBytes(std::string_view bytes, const std::string& name);

}  // namespace maxstate
