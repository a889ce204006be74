#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "maxstate/atomic_file.h"
#include "maxstate/error.h"
#include "maxstate/npy.h"

namespace maxstate {
namespace {

std::string tempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("maxstate_test_npy_" + name)).string();
}

TEST(Npy, RoundTripsFloatAndIndexArrays) {
  FloatArray f({2, 3});
  for (int64_t i = 0; i < 6; ++i) f[i] = 0.5f * float(i) - 1;
  IndexArray n({4});
  for (int64_t i = 0; i < 4; ++i) n[i] = (int64_t{1} << 40) + i;
  writeNpy(tempPath("f.npy"), f);
  writeNpy(tempPath("n.npy"), n);
  const FloatArray f2 = readNpyFloat(tempPath("f.npy"));
  const IndexArray n2 = readNpyIndex(tempPath("n.npy"));
  ASSERT_EQ(f2.shape(), f.shape());
  ASSERT_EQ(n2.shape(), n.shape());
  for (int64_t i = 0; i < 6; ++i) EXPECT_EQ(f2[i], f[i]);
  for (int64_t i = 0; i < 4; ++i) EXPECT_EQ(n2[i], n[i]);
}

TEST(Npy, WritesFloat64Exactly) {
  Array<double> d({3, 2});
  for (int64_t i = 0; i < 6; ++i) d[i] = 1.0 / 3.0 + static_cast<double>(i);
  writeNpy(tempPath("d.npy"), d);
  std::ifstream in(tempPath("d.npy"), std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_EQ(bytes.size() % 64, 48u);  // 64-byte aligned header, then 6 doubles
  EXPECT_NE(bytes.find("'descr': '<f8', 'fortran_order': False, 'shape': (3, 2)"), std::string::npos);
  const size_t body = bytes.size() - 6 * sizeof(double);
  EXPECT_EQ(std::memcmp(bytes.data() + body, d.data(), 6 * sizeof(double)), 0);
  const FloatArray asFloat = readNpyFloat(tempPath("d.npy"));  // float64 files read as float32
  ASSERT_EQ(asFloat.shape(), d.shape());
  EXPECT_EQ(asFloat[4], static_cast<float>(d[4]));
}

TEST(Npy, RefusesTruncatedDataAndWrongKinds) {
  FloatArray f({100});
  writeNpy(tempPath("t.npy"), f);
  std::filesystem::resize_file(tempPath("t.npy"), 200);
  EXPECT_THROW(readNpyFloat(tempPath("t.npy")), Error);
  writeNpy(tempPath("k.npy"), f);
  EXPECT_THROW(readNpyIndex(tempPath("k.npy")), Error);
  EXPECT_THROW(readNpyFloat(tempPath("does-not-exist.npy")), Error);
}

TEST(Npy, FailedWriteLeavesTheExistingFileUntouched) {
  const std::string path = tempPath("keep.npy");
  FloatArray f({3});
  f[0] = 42;
  writeNpy(path, f);
  const auto before = std::filesystem::file_size(path);
  EXPECT_THROW(writeNpy("/nonexistent-folder/x.npy", f), Error);
  // A write that fails half way through must not replace the file, nor leave a temporary behind.
  EXPECT_THROW(writeFileAtomically(path,
                                   [](std::ostream& out) {
                                     out << "partial";
                                     throw std::runtime_error("disk full");
                                   }),
               std::runtime_error);
  EXPECT_EQ(std::filesystem::file_size(path), before);
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(path).parent_path()))
    EXPECT_EQ(entry.path().filename().string().find(".maxstate_test_npy_keep.npy.tmp"), std::string::npos);
  EXPECT_EQ(readNpyFloat(path)[0], 42);
}

}  // namespace
}  // namespace maxstate
