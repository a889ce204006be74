#include "checkpoint/torch_pickle_format.h"

#include <unordered_map>

#include "checkpoint/byte_reader.h"
#include "checkpoint/checkpoint_builder.h"
#include "checkpoint/state_dict_finder.h"
#include "maxstate/error.h"

namespace maxstate::detail {

Checkpoint buildFromPickle(CheckpointFormat format, const PyValue* root, const PickleMachine& machine,
                           const StorageResolver& resolve) {
  const FoundStateDict found = findStateDict(root);
  CheckpointBuilder builder(format);
  std::unordered_map<std::string, std::shared_ptr<const StorageData>> resolved;  // root storages found once
  for (const FoundEntry& entry : found.entries) {
    if (entry.value->kind != PyKind::Tensor) {
      builder.skip(entry.name);
      continue;
    }
    const TensorDecl& t = machine.tensors()[static_cast<size_t>(entry.value->integer)];
    const StorageDecl& s = machine.storages()[t.storage];
    if (!isFloating(s.dtype)) {
      builder.skip(entry.name);
      continue;
    }
    auto it = resolved.find(s.key);
    if (it == resolved.end()) it = resolved.emplace(s.key, resolve(s)).first;
    const std::shared_ptr<const StorageData>& root = it->second;
    const int64_t es = elementSize(s.dtype);
    const uint64_t needed = static_cast<uint64_t>(s.rootNumel) * static_cast<uint64_t>(es);
    const std::string declared = std::to_string(s.rootNumel) + " " + dtypeName(s.dtype) + " elements (" +
                                 std::to_string(needed) + " bytes)";
    // A deflated entry is inflated only if it declares exactly what the pickle needs: nothing more is ever
    // written, and a size that disagrees is refused before anything is inflated.
    if (root->deflated() && root->size() != needed)
      throw Error(ErrorKind::BadFile, "storage '" + s.key + "' is a compressed entry that declares " +
                                          std::to_string(root->size()) + " bytes, but the pickle says " +
                                          declared +
                                          ": refusing to inflate it (the file is corrupt or hostile)");
    if (root->size() / static_cast<uint64_t>(es) < static_cast<uint64_t>(s.rootNumel))
      throw Error(ErrorKind::BadFile, "storage '" + s.key + "' holds " + std::to_string(root->size()) +
                                          " bytes, but the pickle says " + declared +
                                          ": the file is truncated or corrupt");
    TensorView view;
    view.dtype = s.dtype;
    view.storage = root;
    view.storageBegin = static_cast<uint64_t>(s.viewOffset * es);
    view.storageElements = s.numel;
    view.offset = t.offset;
    view.shape = t.shape;
    view.stride = t.stride;
    builder.addTensor(entry.name, view);
  }
  for (const std::string& name : found.skipped) builder.skip(name);
  Checkpoint checkpoint = builder.finish();
  checkpoint.epoch = found.epoch;
  checkpoint.step = found.step;
  return checkpoint;
}

}  // namespace maxstate::detail
