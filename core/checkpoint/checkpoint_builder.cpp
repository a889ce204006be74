#include "checkpoint/checkpoint_builder.h"

#include <set>
#include <unordered_map>
#include <utility>

#include "checkpoint/tensor_data.h"
#include "maxstate/error.h"

namespace maxstate::detail {
namespace {

// Tensors that share storages (tied weights, views of one flat buffer) become separate arrays when read; a
// file whose views repeat their data more than this is refused rather than allowed to exhaust memory.
constexpr int64_t kMaxRepeat = 8;
constexpr int64_t kRepeatAllowance = int64_t{1} << 24;

}  // namespace

std::string stripWrapperPrefixes(std::string name) {
  for (;;) {
    if (name.rfind("module.", 0) == 0)
      name.erase(0, 7);
    else if (name.rfind("_orig_mod.", 0) == 0)
      name.erase(0, 10);
    else
      return name;
  }
}

void CheckpointBuilder::addTensor(const std::string& name, const TensorView& view) {
  if (!isFloating(view.dtype)) {
    skip(name);
    return;
  }
  int64_t numel = 0;
  const std::string problem =
      checkView(view.shape, view.stride, view.offset, view.storageElements, view.dtype, numel);
  if (!problem.empty())
    throw Error(ErrorKind::BadFile,
                "tensor '" + name + "' is " + problem + " (the file is corrupt or hostile)");
  m_pending.push_back({name, view, numel});
}

void CheckpointBuilder::skip(const std::string& name) {
  m_result.skipped.push_back(stripWrapperPrefixes(name));
}

Checkpoint CheckpointBuilder::finish() {
  // Names after prefix removal must stay unique; the last assignment of a raw name wins, as in a Python dict.
  std::unordered_map<std::string, size_t> byRawName;
  for (size_t i = 0; i < m_pending.size(); ++i) byRawName[m_pending[i].name] = i;
  std::unordered_map<std::string, std::string> rawOf;
  std::set<std::pair<const StorageData*, uint64_t>> storages;
  int64_t total = 0, storageElements = 0;
  std::vector<const Pending*> kept;
  for (size_t i = 0; i < m_pending.size(); ++i) {
    const Pending& p = m_pending[i];
    if (byRawName[p.name] != i) continue;
    const std::string clean = stripWrapperPrefixes(p.name);
    const auto [it, fresh] = rawOf.emplace(clean, p.name);
    if (!fresh)
      throw Error(ErrorKind::Unsupported, "the state dict holds both '" + it->second + "' and '" + p.name +
                                              "', which name the same parameter once the `module.` / "
                                              "`_orig_mod.` wrapper prefixes are removed; save it again from "
                                              "one model");
    if (storages.insert({p.view.storage.get(), p.view.storageBegin}).second)
      storageElements += p.view.storageElements;
    total += p.numel;
    kept.push_back(&p);
  }
  if (kept.empty())
    throw Error(ErrorKind::Unsupported,
                "the state dict holds no floating-point tensors" +
                    std::string(m_result.skipped.empty()
                                    ? ""
                                    : " (only entries such as '" + m_result.skipped.front() + "')"));
  if (total > kMaxRepeat * storageElements + kRepeatAllowance)
    throw Error(ErrorKind::BadFile, "the tensors claim " + std::to_string(total) +
                                        " elements over storages of " + std::to_string(storageElements) +
                                        ": views that repeat the data this often are not model weights (the "
                                        "file is corrupt or hostile)");
  // Nothing is read here: each tensor reads its own bytes when its values are asked for.
  for (const Pending* p : kept)
    m_result.tensors[stripWrapperPrefixes(p->name)] =
        CheckpointTensor(p->view.shape, toStorageType(p->view.dtype), lazyTensor(p->view, p->numel));
  return std::move(m_result);
}

}  // namespace maxstate::detail
