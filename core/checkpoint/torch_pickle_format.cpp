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
  std::unordered_map<std::string, std::string_view> resolved;  // root storages are read once
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
    const std::string_view rootBytes = it->second;
    const int64_t es = elementSize(s.dtype);
    if (static_cast<int64_t>(rootBytes.size()) / es < s.rootNumel)
      throw Error(ErrorKind::BadFile, "storage '" + s.key + "' holds " + std::to_string(rootBytes.size()) +
                                          " bytes, but the pickle says " + std::to_string(s.rootNumel) + " " +
                                          dtypeName(s.dtype) + " elements (" +
                                          std::to_string(s.rootNumel * es) +
                                          " bytes): the file is truncated or corrupt");
    TensorView view;
    view.dtype = s.dtype;
    view.storage =
        rootBytes.substr(static_cast<size_t>(s.viewOffset * es), static_cast<size_t>(s.numel * es));
    view.offset = t.offset;
    view.shape = t.shape;
    view.stride = t.stride;
    builder.addTensor(entry.name, view);
  }
  for (const std::string& name : found.skipped) builder.skip(name);
  return builder.finish();
}

}  // namespace maxstate::detail
