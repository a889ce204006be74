#include "checkpoint/tensor_loader.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <new>

#include "maxstate/error.h"

namespace maxstate::detail {
namespace {

// Writing the model once is dominated by page faults (here ~17 us per 4 KiB page, ~1.5 s for the published
// model); transparent huge pages cut their number 512-fold.
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

uint64_t loadBytesNeeded(const Checkpoint& checkpoint, const std::vector<std::string>& keys) {
  uint64_t floats = 0, largestRead = 0;
  for (const std::string& key : keys) {
    const CheckpointTensor& t = checkpoint.tensors.at(key);
    floats += static_cast<uint64_t>(paddedFloats(t.numel()));
    largestRead = std::max(largestRead, t.readBufferBytes());
  }
  return floats * sizeof(float) + largestRead;
}

TensorMap loadTensors(const Checkpoint& checkpoint, const std::vector<std::string>& keys) {
  int64_t arenaFloats = 0;
  for (const std::string& key : keys) arenaFloats += paddedFloats(checkpoint.tensors.at(key).numel());
  std::shared_ptr<float[]> arena;
  try {
    arena = allocateArena(static_cast<size_t>(arenaFloats));
  } catch (const std::bad_alloc&) {
    throw Error(ErrorKind::BadFile, "not enough memory for the model's " +
                                        std::to_string(arenaFloats * int64_t{sizeof(float)}) +
                                        " bytes of float32 weights: close other programs or use a machine "
                                        "with more memory");
  }
  TensorMap out;
  int64_t at = 0;
  for (const std::string& key : keys) {
    const CheckpointTensor& t = checkpoint.tensors.at(key);
    FloatArray values(t.shape(), std::shared_ptr<float[]>(arena, arena.get() + at));
    at += paddedFloats(t.numel());
    t.readInto(values.data());
    out.emplace(key, std::move(values));
  }
  return out;
}

}  // namespace maxstate::detail
