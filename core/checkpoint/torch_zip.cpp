// torch.save's zip format (PyTorch >= 1.6) and torch.jit.save archives: <top>/data.pkl is the pickle,
// <top>/data/<key> the storages' raw bytes; TorchScript archives also hold <top>/code/ and
// <top>/constants.pkl.
#include <cstring>

#include "checkpoint/formats.h"
#include "checkpoint/torch_pickle_format.h"
#include "checkpoint/zip_archive.h"
#include "maxstate/error.h"

namespace maxstate::detail {
namespace {

// A state dict's pickle is kilobytes to a few megabytes; the storages are separate entries.
constexpr uint64_t kMaxPickle = uint64_t{256} << 20;

}  // namespace

bool looksLikeZip(std::string_view bytes) {
  return bytes.size() >= 4 && (bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4) ||
                               bytes.substr(0, 4) == std::string_view("PK\x05\x06", 4));
}

Checkpoint readTorchZip(const std::shared_ptr<const ByteSource>& source) {
  const ZipArchive zip(source);
  // The top folder is named after the file it was first saved as: whatever it is, it holds data.pkl.
  const ZipEntry* pickle = nullptr;
  for (const ZipEntry& e : zip.entries()) {
    const size_t slash = e.name.find('/');
    if (slash == std::string::npos || e.name.compare(slash, std::string::npos, "/data.pkl") != 0) continue;
    if (pickle)
      throw Error(ErrorKind::BadFile, "the zip archive holds two checkpoints ('" + pickle->name + "' and '" +
                                          e.name + "'); PyTorch writes one");
    pickle = &e;
  }
  if (!pickle)
    throw Error(
        ErrorKind::Unsupported,
        "a zip archive without a <folder>/data.pkl entry: not written by torch.save or torch.jit.save "
        "(if it is a zip of checkpoint files, extract it and open the file inside)");
  const std::string top = pickle->name.substr(0, pickle->name.size() - std::strlen("data.pkl"));
  bool torchScript = zip.find(top + "constants.pkl") != nullptr;
  for (const ZipEntry& e : zip.entries())
    if (e.name.rfind(top + "code/", 0) == 0) torchScript = true;

  // PyTorch >= 2.1 records the byte order of the storages; older files are little-endian.
  if (const ZipEntry* order = zip.find(top + "byteorder")) {
    const std::string value = zip.readSmall(*order, 64);
    if (value.rfind("little", 0) != 0)
      throw Error(ErrorKind::Unsupported,
                  "the checkpoint's storages are big-endian; load and save it again on a "
                  "little-endian machine");
  }
  const std::string pkl = zip.readSmall(*pickle, kMaxPickle);
  PickleMachine machine(pickle->name);
  size_t pos = 0;
  const PyValue* root = machine.run(pkl, pos);
  return buildFromPickle(torchScript ? CheckpointFormat::TorchScript : CheckpointFormat::TorchZip, root,
                         machine, [&](const StorageDecl& s) {
                           const std::string name = top + "data/" + s.key;
                           const ZipEntry* entry = zip.find(name);
                           if (!entry)
                             throw Error(ErrorKind::BadFile, "the pickle refers to storage '" + s.key +
                                                                 "', but the archive has no entry '" + name +
                                                                 "' (the file is incomplete or corrupt)");
                           return zip.storage(*entry);
                         });
}

}  // namespace maxstate::detail
