// Lazy reading: opening a checkpoint reads its declarations only, inspecting reads only the 0-dim scalars,
// and a deflated entry is inflated only when its declared size is what the pickle needs -- never more. The
// files are built here (tests/core/checkpoint_writer.h), small on disk.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "checkpoint_fixtures.h"
#include "checkpoint_writer.h"
#include "maxstate/architecture.h"

namespace maxstate::test {
namespace {

long maxRssMb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

std::string tempPath(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("maxstate_lazy_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

// A bare openash layer of hidden size d whose combined.weight storage is `combined`.
std::vector<TensorSpec> layerWith(int64_t d, int64_t heads, StorageSpec combined) {
  std::vector<TensorSpec> t;
  t.push_back({"combined.weight", {4 * d, d}, 4 * d * d, std::move(combined)});
  t.push_back(floatTensor("alpha1", {}, {0.25f}));
  t.push_back(floatTensor("alpha2", {}, {-0.5f}));
  t.push_back(floatTensor("alpha3", {}, {1.75f}));
  t.push_back(floatTensor("head_linear.weight", {heads, 5 * heads}, someValues({heads, 5 * heads}, 0)));
  return t;
}

TEST(LazyCheckpoint, OpeningReadsDeclarationsOnlyAndValuesAreReadOnUse) {
  std::vector<TensorSpec> tensors = layerWith(4, 2, storedFloats(someValues({16, 4}, 1)));
  tensors[0].storage.payload[5] ^= 0x40;  // the CRC no longer matches: only a read can notice
  const std::string bytes = torchZip(tensors);
  const Checkpoint cp = readCheckpointBytes(bytes, "layer.pt");
  const CheckpointTensor& combined = cp.tensors.at("combined.weight");
  EXPECT_EQ(combined.shape(), (Shape{16, 4}));
  EXPECT_EQ(combined.numel(), 64);
  EXPECT_EQ(combined.storedAs(), StorageType::Float32);
  EXPECT_EQ(combined.storedBytes(), 256u);
  EXPECT_EQ(cp.tensors.at("alpha2").values()[0], -0.5f);
  const std::string error = errorOf([&] { combined.values(); });
  EXPECT_EQ(error.rfind("BadFile: layer.pt: zip entry 'archive/data/0' fails its CRC-32 check", 0), 0u)
      << error;
}

TEST(LazyCheckpoint, InspectingReadsOnlyTheScalars) {
  std::vector<TensorSpec> tensors = layerWith(4, 2, storedFloats(someValues({16, 4}, 1)));
  tensors[0].storage.payload[5] ^= 0x40;  // a weight that cannot be read...
  const std::string path = tempPath("scalars.pt");
  writeInPlace(path, torchZip(tensors));
  const ModelSummary s = inspectModel(path);  // ...is never read by inspect
  EXPECT_EQ(s.info.kind, ModelKind::Layer);
  EXPECT_EQ(s.info.hidden, 4);
  EXPECT_EQ(s.info.heads, 2);
  EXPECT_EQ(s.info.parameters, 64 + 3 + 20);
  ASSERT_EQ(s.layers.size(), 1u);
  EXPECT_EQ(s.layers[0].alpha1, 0.25f);
  EXPECT_EQ(s.layers[0].alpha2, -0.5f);
  EXPECT_EQ(s.layers[0].alpha3, 1.75f);
  // Loading reads it, and says so.
  const std::string error = errorOf([&] { loadModel(path); });
  EXPECT_NE(error.find(path + ": zip entry 'archive/data/0' fails its CRC-32 check"), std::string::npos)
      << error;
}

TEST(LazyCheckpoint, LoadingReadsEveryWeightExactly) {
  const std::vector<float> combined = someValues({16, 4}, 1);
  const std::string path = tempPath("good.pt");
  writeInPlace(path, torchZip(layerWith(4, 2, deflatedFloats(combined))));
  const ModelWeights w = loadModel(path);
  const FloatArray& c = w.layers.at(0).attention.combined;
  ASSERT_EQ(c.shape(), (Shape{16, 4}));
  for (int64_t i = 0; i < c.size(); ++i) ASSERT_EQ(c[i], combined[size_t(i)]) << i;
  EXPECT_EQ(w.layers[0].attention.alpha3, 1.75f);
}

TEST(LazyCheckpoint, ATwoGiBDeflatedEntryIsNeitherInflatedByInspectNorLoadedPastTheMemoryLimit) {
  constexpr int64_t d = 11585, heads = 5;  // 4 d^2 float32 = 2,147,395,600 bytes, one MiB rounded up
  const uint64_t size = (uint64_t(4 * d * d * 4) + (1 << 20) - 1) / (1 << 20) * (1 << 20);
  StorageSpec zeros = deflatedZeros(size);
  std::vector<TensorSpec> tensors = layerWith(d, heads, std::move(zeros));
  tensors[0].storageNumel = int64_t(size / 4);  // the pickle claims the whole entry
  const std::string path = tempPath("two_gib.pt");
  writeInPlace(path, torchZip(tensors));
  EXPECT_LT(std::filesystem::file_size(path), 3u << 20) << "small on disk";

  const long rssBefore = maxRssMb();
  const auto start = std::chrono::steady_clock::now();
  const ModelSummary s = inspectModel(path);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(s.info.hidden, d);
  EXPECT_EQ(s.info.parameters, 4 * d * d + 3 + heads * 5 * heads);
  EXPECT_LT(seconds, 2.0);
  EXPECT_LT(maxRssMb() - rssBefore, 50) << "inspect must not inflate the storage";

  ::setenv("MAXSTATE_MEMORY_LIMIT", "1000000000", 1);
  const std::string error = errorOf([&] { loadModel(path); });
  ::unsetenv("MAXSTATE_MEMORY_LIMIT");
  EXPECT_EQ(error,
            "BadFile: loading this model needs about 2.15 GB of memory (its weights as float32), but only "
            "1.00 GB is available (MAXSTATE_MEMORY_LIMIT): close other programs or use a machine with more "
            "memory");
  EXPECT_LT(maxRssMb() - rssBefore, 50) << "refused before allocating";
}

TEST(LazyCheckpoint, ADeflatedEntryWhoseSizeDisagreesWithThePickleIsRefusedBeforeInflating) {
  const std::vector<float> values = someValues({16}, 2);
  for (int64_t claimed : {32, 8}) {  // the pickle says the storage needs more, then less, than the entry
    SCOPED_TRACE(claimed);
    TensorSpec t{"combined.weight", {4, 2}, claimed, deflatedFloats(values)};
    const std::string bytes = torchZip({t});
    const std::string error = errorOf([&] { readCheckpointBytes(bytes, "m.pt"); });
    EXPECT_EQ(error,
              "BadFile: m.pt: storage '0' is a compressed entry that declares 64 bytes, but the pickle "
              "says " +
                  std::to_string(claimed) + " float32 elements (" + std::to_string(claimed * 4) +
                  " bytes): refusing to inflate it (the file is corrupt or hostile)");
  }
}

TEST(LazyCheckpoint, AnEntryThatInflatesPastItsDeclaredSizeStopsThere) {
  TensorSpec t{"w", {16}, 16, deflatedFloats(someValues({32}, 2))};
  t.storage.size = 64;  // declares 16 floats, as the pickle says, but holds 32
  const Checkpoint cp = readCheckpointBytes(torchZip({t}), "m.pt");
  EXPECT_EQ(errorOf([&] { cp.tensors.at("w").values(); }),
            "BadFile: m.pt: zip entry 'archive/data/0' lies about its size: it inflates to more than the 64 "
            "bytes it declares");
}

}  // namespace
}  // namespace maxstate::test
