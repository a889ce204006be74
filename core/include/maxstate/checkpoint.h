#pragma once
// Reading PyTorch checkpoints (SPEC.md section 3) into named float32 tensors, without LibTorch and without
// executing anything from the file: pickles run on an allow-listed interpreter, every size is checked.
// Reading is lazy: opening a checkpoint reads what the file declares (names, dtypes, shapes, where each
// storage lies), never a memory map and never the storages themselves; a tensor's values are read from the
// file and converted when asked for, checked to come from the same version of the file that was opened.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "maxstate/array.h"

namespace maxstate {

enum class CheckpointFormat { TorchZip, TorchLegacy, Safetensors, TorchScript };
const char* formatName(CheckpointFormat f);  // "torch-zip", "torch-legacy", "safetensors", "torchscript"

enum class StorageType { Float32, Float16, BFloat16, Float64 };
const char* storageTypeName(StorageType t);  // "float32", "float16", "bfloat16", "float64"

namespace detail {
class TensorData;
}

class CheckpointTensor {
 public:
  CheckpointTensor() = default;
  // A tensor already in memory (synthetic checkpoints in tests).
  explicit CheckpointTensor(FloatArray values, StorageType storedAs = StorageType::Float32);
  CheckpointTensor(Shape shape, StorageType storedAs, std::shared_ptr<const detail::TensorData> data);

  // As declared by the file, known without reading any data. A 0-dim tensor has shape {}.
  const Shape& shape() const { return m_shape; }
  int64_t numel() const { return shapeNumel(m_shape); }
  StorageType storedAs() const { return m_storedAs; }
  // The bytes of its storage that reading it reads, and the memory a read needs besides its float32 result
  // (0 unless the tensor is a strided view, whose span is read whole before it is converted).
  uint64_t storedBytes() const;
  uint64_t readBufferBytes() const;

  // Reads the tensor's bytes now and converts them to float32 (each call reads again). Throws
  // Error(BadFile), starting with the file name, when the read fails; when the file is no longer the version
  // that was opened (or a read fails in a way only a changed file explains), the message is "the checkpoint
  // changed while it was read (is training writing it?): try again".
  FloatArray values() const;
  // The same into caller memory of numel() floats.
  void readInto(float* dst) const;

 private:
  Shape m_shape;
  StorageType m_storedAs = StorageType::Float32;
  std::shared_ptr<const detail::TensorData> m_data;
};

struct Checkpoint {
  CheckpointFormat format = CheckpointFormat::TorchZip;
  // The model's floating-point tensors by name, with `module.` / `_orig_mod.` prefixes removed. For resume
  // files ({"model": sd, "optimizer": ...}) only the state dict under "model" / "state_dict".
  // Each tensor keeps the file open until the last of them is released.
  std::map<std::string, CheckpointTensor> tensors;
  // Names of entries that were present but not kept (integer buffers, ...), for messages. For a resume file
  // this also lists the wrapper's other keys ("optimizer", "epoch", ...).
  std::vector<std::string> skipped;
  // Where in training the file was saved, when it says so: a resume file's integer "epoch" and "step" entries
  // ("global_step" when there is no "step"), or the same keys of a .safetensors "__metadata__" holding
  // decimal integers. Read from the pickle or header only, never from a tensor. A value that is not an
  // integer (bool, float, string, tensor, beyond int64) leaves it unset.
  std::optional<int64_t> epoch, step;
};

// Opens the file and reads what it declares (no storage is read). Throws Error(BadFile) for missing, corrupt,
// truncated or hostile files (the message names the problem, e.g. the refused global `posix.system`, or says
// the file changed while it was read), Error(Unsupported) for readable files that hold no state dict we
// understand.
Checkpoint readCheckpoint(const std::string& path);
// The same from a copy of bytes in memory; `name` is used in messages and to tell .safetensors by extension.
// For fuzzing and tests.
Checkpoint readCheckpointBytes(std::string_view bytes, const std::string& name);

}  // namespace maxstate
