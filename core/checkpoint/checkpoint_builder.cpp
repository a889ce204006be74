#include "checkpoint/checkpoint_builder.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <new>
#include <unordered_map>
#include <unordered_set>

#include "checkpoint/dtype_convert.h"
#include "maxstate/error.h"

namespace maxstate::detail {
namespace {

// Tensors that share storages (tied weights, views of one flat buffer) are expanded into separate arrays; a
// file whose views repeat their data more than this is refused rather than allowed to exhaust memory.
constexpr int64_t kMaxRepeat = 8;
constexpr int64_t kRepeatAllowance = int64_t{1} << 24;

// All tensors of a checkpoint share one allocation, 2 MiB aligned and advised for transparent huge pages:
// writing the model once is dominated by page faults (here ~17 us per 4 KiB page, ~1.5 s for the published
// model), and huge pages cut their number 512-fold. Each tensor's array aliases the arena, which lives while
// any of them does.
std::shared_ptr<float[]> allocateArena(size_t floats) {
  constexpr size_t kHuge = size_t{2} << 20;
  const size_t bytes = std::max<size_t>(floats * sizeof(float), 1);
  if (bytes < kHuge) return std::shared_ptr<float[]>(new float[std::max<size_t>(floats, 1)]);
  const size_t rounded = (bytes + kHuge - 1) / kHuge * kHuge;
  void* p = std::aligned_alloc(kHuge, rounded);
  if (!p) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
  madvise(p, rounded, MADV_HUGEPAGE);
#endif
#ifdef MADV_POPULATE_WRITE
  madvise(p, rounded, MADV_POPULATE_WRITE);  // one call instead of a fault per page; harmless if refused
#endif
  return std::shared_ptr<float[]>(static_cast<float*>(p), [](float* q) { std::free(q); });
}

// Tensors start on 64-byte boundaries inside the arena.
constexpr int64_t kAlignFloats = 16;
int64_t paddedFloats(int64_t n) { return (n + kAlignFloats - 1) / kAlignFloats * kAlignFloats; }

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
  const int64_t es = elementSize(view.dtype);
  int64_t numel = 0;
  const std::string problem = checkView(view.shape, view.stride, view.offset,
                                        static_cast<int64_t>(view.storage.size()) / es, view.dtype, numel);
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
  std::unordered_set<const char*> storages;
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
    if (storages.insert(p.view.storage.data()).second)
      storageElements += static_cast<int64_t>(p.view.storage.size()) / elementSize(p.view.dtype);
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
  int64_t arenaFloats = 0;
  for (const Pending* p : kept) arenaFloats += paddedFloats(p->numel);
  const std::shared_ptr<float[]> arena = allocateArena(static_cast<size_t>(arenaFloats));
  int64_t at = 0;
  for (const Pending* p : kept) {
    const TensorView& v = p->view;
    FloatArray values(v.shape, std::shared_ptr<float[]>(arena, arena.get() + at));
    at += paddedFloats(p->numel);
    if (isContiguous(v.shape, v.stride))
      convertContiguous(v.dtype, v.storage.data() + v.offset * elementSize(v.dtype), values.data(),
                        static_cast<size_t>(p->numel));
    else
      convertStrided(v.dtype, v.storage.data(), v.offset, v.shape, v.stride, values.data());
    m_result.tensors[stripWrapperPrefixes(p->name)] =
        CheckpointTensor{std::move(values), toStorageType(v.dtype)};
  }
  return std::move(m_result);
}

}  // namespace maxstate::detail
