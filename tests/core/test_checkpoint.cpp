// Every checkpoint form of SPEC.md section 3 opens, and every tensor equals what PyTorch saved, bit for bit
// (float16/bfloat16 widen exactly; float64 rounds as torch's .float()).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "checkpoint_fixtures.h"

namespace maxstate::test {
namespace {

std::vector<std::string> casesOrSkip() {
  auto cases = goldenCases("checkpoints");
  return cases;
}

#define SKIP_WITHOUT_FIXTURES(cases) \
  if ((cases).empty()) GTEST_SKIP() << "no checkpoint fixtures: run ctest (reference.checkpoints) first"

void expectMatches(const std::string& caseName, const Checkpoint& ckpt) {
  const std::string dir = goldenDir("checkpoints") + "/" + caseName;
  const auto expected = readJson(dir + "/expected.json");
  const std::string blob = readBytes(dir + "/expected.bin");
  const auto* values = reinterpret_cast<const float*>(blob.data());
  const size_t valueCount = blob.size() / sizeof(float);

  EXPECT_EQ(formatName(ckpt.format), expected["format"].get<std::string>());
  std::set<std::string> names, expectedNames;
  for (const auto& [name, t] : ckpt.tensors) names.insert(name);
  for (const auto& [name, info] : expected["tensors"].items()) expectedNames.insert(name);
  EXPECT_EQ(names, expectedNames);

  for (const auto& [name, info] : expected["tensors"].items()) {
    SCOPED_TRACE(name);
    const auto it = ckpt.tensors.find(name);
    if (it == ckpt.tensors.end()) continue;
    const CheckpointTensor& t = it->second;
    EXPECT_EQ(t.shape(), info["shape"].get<Shape>());  // declared, before any read
    EXPECT_STREQ(storageTypeName(t.storedAs()), info["dtype"].get<std::string>().c_str());
    const FloatArray tv = t.values();
    const auto offset = info["offset"].get<size_t>();
    const int64_t n = shapeNumel(info["shape"].get<Shape>());
    ASSERT_LE(offset + static_cast<size_t>(n), valueCount);
    ASSERT_EQ(t.numel(), n);
    ASSERT_EQ(tv.size(), n);
    int64_t firstDiff = -1;
    for (int64_t i = 0; i < n && firstDiff < 0; ++i)
      if (!sameFloat(tv[i], values[offset + static_cast<size_t>(i)])) firstDiff = i;
    EXPECT_EQ(firstDiff, -1) << "first difference at flat index " << firstDiff << ": "
                             << (firstDiff >= 0 ? tv[firstDiff] : 0.f) << " vs PyTorch's "
                             << (firstDiff >= 0 ? values[offset + static_cast<size_t>(firstDiff)] : 0.f);
  }
  std::multiset<std::string> skipped(ckpt.skipped.begin(), ckpt.skipped.end());
  std::multiset<std::string> expectedSkipped;
  for (const auto& s : expected["skipped"]) expectedSkipped.insert(s.get<std::string>());
  EXPECT_EQ(skipped, expectedSkipped);
}

TEST(Checkpoint, EveryFormOpensAndEveryTensorEqualsPyTorchs) {
  const auto cases = casesOrSkip();
  SKIP_WITHOUT_FIXTURES(cases);
  EXPECT_GE(cases.size(), 30u);
  for (const std::string& c : cases) {
    SCOPED_TRACE(c);
    Checkpoint ckpt;
    ASSERT_NO_THROW(ckpt = readCheckpoint(fixturePath(c)))
        << errorOf([&] { readCheckpoint(fixturePath(c)); });
    expectMatches(c, ckpt);
  }
}

TEST(Checkpoint, ReadingFromMemoryGivesTheSameResult) {
  const auto cases = casesOrSkip();
  SKIP_WITHOUT_FIXTURES(cases);
  for (const std::string& c : cases) {
    SCOPED_TRACE(c);
    const std::string path = fixturePath(c);
    const std::string bytes = readBytes(path);
    expectMatches(c, readCheckpointBytes(bytes, path));
  }
}

TEST(Checkpoint, CoversEveryFormAndDtypeOfTheSpec) {
  const auto cases = casesOrSkip();
  SKIP_WITHOUT_FIXTURES(cases);
  std::set<std::string> formats, dtypes;
  for (const std::string& c : cases) {
    const auto expected = readJson(goldenDir("checkpoints") + "/" + c + "/expected.json");
    formats.insert(expected["format"].get<std::string>());
    for (const auto& [name, info] : expected["tensors"].items())
      dtypes.insert(info["dtype"].get<std::string>());
  }
  EXPECT_EQ(formats, (std::set<std::string>{"torch-zip", "torch-legacy", "safetensors", "torchscript"}));
  EXPECT_EQ(dtypes, (std::set<std::string>{"float32", "float16", "bfloat16", "float64"}));
}

TEST(Checkpoint, ResumeFileKeepsOnlyTheModelAndListsTheRest) {
  SKIP_WITHOUT_FIXTURES(casesOrSkip());
  const Checkpoint ckpt = readCheckpoint(fixturePath("resume_full"));
  EXPECT_TRUE(ckpt.tensors.count("em.weight"));
  EXPECT_FALSE(ckpt.tensors.count("optimizer"));
  for (const char* key : {"optimizer", "scaler", "epoch", "step", "rng"})
    EXPECT_NE(std::find(ckpt.skipped.begin(), ckpt.skipped.end(), key), ckpt.skipped.end()) << key;
}

TEST(Checkpoint, WrapperPrefixesAreRemoved) {
  SKIP_WITHOUT_FIXTURES(casesOrSkip());
  for (const char* c : {"prefix_module", "prefix_orig_mod", "prefix_both", "safetensors_bf16_prefixed"}) {
    SCOPED_TRACE(c);
    const Checkpoint ckpt = readCheckpoint(fixturePath(c));
    EXPECT_TRUE(ckpt.tensors.count("em.weight"));
    for (const auto& [name, t] : ckpt.tensors) {
      EXPECT_NE(name.rfind("module.", 0), 0u) << name;
      EXPECT_NE(name.rfind("_orig_mod.", 0), 0u) << name;
    }
  }
}

TEST(Checkpoint, TorchScriptParametersCarryTheStateDictNames) {
  SKIP_WITHOUT_FIXTURES(casesOrSkip());
  const Checkpoint script = readCheckpoint(fixturePath("torchscript_model"));
  const Checkpoint plain = readCheckpoint(fixturePath("zip_state_dict"));
  EXPECT_EQ(script.format, CheckpointFormat::TorchScript);
  ASSERT_EQ(script.tensors.size(), plain.tensors.size());
  for (auto a = script.tensors.begin(), b = plain.tensors.begin(); a != script.tensors.end(); ++a, ++b)
    EXPECT_EQ(a->first, b->first);
}

TEST(Checkpoint, FormatAndStorageTypeNamesAreTheContractStrings) {
  EXPECT_STREQ(formatName(CheckpointFormat::TorchZip), "torch-zip");
  EXPECT_STREQ(formatName(CheckpointFormat::TorchLegacy), "torch-legacy");
  EXPECT_STREQ(formatName(CheckpointFormat::Safetensors), "safetensors");
  EXPECT_STREQ(formatName(CheckpointFormat::TorchScript), "torchscript");
  EXPECT_STREQ(storageTypeName(StorageType::Float32), "float32");
  EXPECT_STREQ(storageTypeName(StorageType::Float16), "float16");
  EXPECT_STREQ(storageTypeName(StorageType::BFloat16), "bfloat16");
  EXPECT_STREQ(storageTypeName(StorageType::Float64), "float64");
}

TEST(Checkpoint, MissingFilesAndFoldersGetClearErrors) {
  const std::string missing = errorOf([] { readCheckpoint("/nonexistent/model.pt"); });
  EXPECT_NE(missing.find("BadFile: /nonexistent/model.pt: cannot open the file: No such file"),
            std::string::npos)
      << missing;
  const std::string folder = errorOf([] { readCheckpoint(MAXSTATE_SOURCE_DIR); });
  EXPECT_NE(folder.find("is a folder"), std::string::npos) << folder;
}

}  // namespace
}  // namespace maxstate::test
