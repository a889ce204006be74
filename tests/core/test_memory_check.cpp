// The memory check before loading a model: the available figure (MAXSTATE_MEMORY_LIMIT, MemAvailable, a
// cgroup limit) and the refusal that names both sizes.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "expect_error.h"
#include "maxstate/architecture.h"
#include "maxstate/error.h"
#include "maxstate/memory.h"

namespace maxstate {
namespace {

struct EnvLimit {
  explicit EnvLimit(const char* value) { ::setenv("MAXSTATE_MEMORY_LIMIT", value, 1); }
  ~EnvLimit() { ::unsetenv("MAXSTATE_MEMORY_LIMIT"); }
};

Checkpoint layer(int64_t d) {
  Checkpoint cp;
  cp.tensors["combined.weight"] = CheckpointTensor(FloatArray({4 * d, d}));
  for (const char* a : {"alpha1", "alpha2", "alpha3"}) cp.tensors[a] = CheckpointTensor(FloatArray(Shape{}));
  cp.tensors["head_linear.weight"] = CheckpointTensor(FloatArray({2, 10}));
  return cp;
}

TEST(MemoryCheck, TheEnvironmentVariableReplacesTheMachinesFigure) {
  const EnvLimit limit("123456789");
  const auto m = availableMemory();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->bytes, 123456789u);
  EXPECT_EQ(m->source, "MAXSTATE_MEMORY_LIMIT");
}

TEST(MemoryCheck, ABadEnvironmentValueIsAUsageError) {
  const EnvLimit limit("4GB");
  try {
    availableMemory();
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Usage);
    EXPECT_STREQ(e.what(),
                 "MAXSTATE_MEMORY_LIMIT is '4GB', not a number of bytes: set it to an integer such as "
                 "4000000000, or unset it");
  }
}

TEST(MemoryCheck, WithoutTheVariableTheFigureIsAtMostTheMachinesMemory) {
  ::unsetenv("MAXSTATE_MEMORY_LIMIT");
  std::ifstream in("/proc/meminfo");
  std::string key;
  uint64_t totalKb = 0;
  in >> key >> totalKb;
  ASSERT_EQ(key, "MemTotal:");
  const auto m = availableMemory();
  ASSERT_TRUE(m);
  EXPECT_GT(m->bytes, 0u);
  EXPECT_LE(m->bytes, totalKb * 1024);
}

TEST(MemoryCheck, SizesAreWrittenInMegabytesOrGigabytes) {
  EXPECT_EQ(formatBytes(999), "999 bytes");
  EXPECT_EQ(formatBytes(1000000), "1 MB");
  EXPECT_EQ(formatBytes(512400000), "512 MB");
  EXPECT_EQ(formatBytes(2147395600), "2.15 GB");
}

TEST(MemoryCheck, AModelThatDoesNotFitIsRefusedWithBothSizes) {
  const Checkpoint cp = layer(512);  // 4 * 512 * 512 floats = 4,194,304 bytes, and the small tensors
  {
    const EnvLimit limit("3000000");
    expectError([&] { recogniseModel(cp); }, ErrorKind::BadFile,
                "loading this model needs about 4 MB of memory (its weights as float32), but only 3 MB is "
                "available (MAXSTATE_MEMORY_LIMIT): close other programs or use a machine with more memory");
    EXPECT_NO_THROW(summariseModel(cp)) << "inspecting allocates nothing: no check";
  }
  const EnvLimit limit("4200000");
  EXPECT_EQ(recogniseModel(cp).layers.at(0).attention.combined.size(), 4 * 512 * 512);
}

}  // namespace
}  // namespace maxstate
