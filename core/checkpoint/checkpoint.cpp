#include "maxstate/checkpoint.h"

#include <algorithm>
#include <bit>
#include <memory>
#include <new>

#include "checkpoint/formats.h"
#include "maxstate/error.h"

static_assert(std::endian::native == std::endian::little,
              "the checkpoint readers assume a little-endian CPU");

namespace maxstate {

const char* formatName(CheckpointFormat f) {
  switch (f) {
    case CheckpointFormat::TorchZip:
      return "torch-zip";
    case CheckpointFormat::TorchLegacy:
      return "torch-legacy";
    case CheckpointFormat::Safetensors:
      return "safetensors";
    case CheckpointFormat::TorchScript:
      return "torchscript";
  }
  return "unknown";
}

const char* storageTypeName(StorageType t) {
  switch (t) {
    case StorageType::Float32:
      return "float32";
    case StorageType::Float16:
      return "float16";
    case StorageType::BFloat16:
      return "bfloat16";
    case StorageType::Float64:
      return "float64";
  }
  return "unknown";
}

namespace {

bool endsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Checkpoint dispatch(const detail::Source& source) {
  using namespace detail;
  const uint64_t size = source->size();
  if (size == 0)
    throw Error(ErrorKind::BadFile,
                "the file is empty (0 bytes): the save was interrupted or is still being written; "
                "wait for it to finish and try again, or save the checkpoint again");
  const std::string head = source->read(0, std::min<uint64_t>(size, 512));
  const std::string_view bytes(head);
  if (looksLikeZip(bytes)) return readTorchZip(source);
  if (endsWith(source->name(), ".safetensors") || looksLikeSafetensors(bytes, size))
    return readSafetensors(source);
  if (looksLikeLegacy(bytes)) return readTorchLegacy(source);
  if (bytes.rfind("version https://git-lfs", 0) == 0)
    throw Error(ErrorKind::BadFile,
                "this is a Git LFS pointer, not the checkpoint itself: fetch the real file "
                "(git lfs pull)");
  if (bytes.size() >= 262 && bytes.substr(257, 5) == "ustar")
    throw Error(ErrorKind::Unsupported,
                "a tar archive: PyTorch before 0.4 saved checkpoints this way; load and "
                "save it again with a recent PyTorch, or extract the tar if it holds "
                "checkpoint files");
  if (bytes.rfind("<!DOCTYPE", 0) == 0 || bytes.rfind("<html", 0) == 0)
    throw Error(ErrorKind::BadFile,
                "an HTML page, not a checkpoint (a failed download?): download the file "
                "again");
  throw Error(ErrorKind::BadFile,
              "not a checkpoint this tool can read: expected a file written by torch.save, "
              "torch.jit.save or safetensors (zip archive, PyTorch pickle or .safetensors)");
}

// Reads what the file declares. A file that changed while it was read (training rewriting it in place)
// can fail in any of the readers' checks, or pass them all with bytes of two versions: the file's identity
// is compared with the one it had when opened, after reading and after any failure.
Checkpoint readDeclarations(const detail::Source& source) {
  try {
    Checkpoint checkpoint = dispatch(source);
    source->checkUnchanged();
    return checkpoint;
  } catch (const Error& e) {
    if (source->changed()) throw Error(ErrorKind::BadFile, source->name() + ": " + detail::changedMessage());
    throw Error(e.kind(), source->name() + ": " + e.what());
  } catch (const std::bad_alloc&) {
    throw Error(ErrorKind::BadFile, source->name() + ": not enough memory to read this checkpoint");
  }
}

}  // namespace

Checkpoint readCheckpointBytes(std::string_view bytes, const std::string& name) {
  return readDeclarations(std::make_shared<detail::MemorySource>(bytes, name));
}

Checkpoint readCheckpoint(const std::string& path) {
  detail::Source source;
  try {
    source = std::make_shared<detail::FileSource>(path);
  } catch (const Error& e) {
    throw Error(e.kind(), path + ": " + e.what());
  }
  return readDeclarations(source);
}

}  // namespace maxstate
