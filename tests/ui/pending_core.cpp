// TEMPORARY: names from core headers whose implementations land with branches `reader`/`model`. Delete this file
// (and its line in CMakeLists.txt) once they are merged.
#include "maxstate/architecture.h"
#include "maxstate/checkpoint.h"

namespace maxstate {
const char* kindName(ModelKind k) { return k == ModelKind::Model ? "model" : "layer"; }
const char* formatName(CheckpointFormat f) {
  switch (f) {
    case CheckpointFormat::TorchZip: return "torch-zip";
    case CheckpointFormat::TorchLegacy: return "torch-legacy";
    case CheckpointFormat::Safetensors: return "safetensors";
    case CheckpointFormat::TorchScript: return "torchscript";
  }
  return "?";
}
const char* storageTypeName(StorageType t) {
  switch (t) {
    case StorageType::Float32: return "float32";
    case StorageType::Float16: return "float16";
    case StorageType::BFloat16: return "bfloat16";
    case StorageType::Float64: return "float64";
  }
  return "?";
}
}  // namespace maxstate
