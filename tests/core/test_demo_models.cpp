// The shipped demo end to end, as the CLI and the explorer open it: every checkpoint loads (the seed
// variant's heads from its side file), the vocabulary fits it, and tracing the demo text gives PyTorch's
// logits (tests/reference/check_demo_models.py writes them from the same files).
#include <gtest/gtest.h>

#include <filesystem>

#include "golden.h"
#include "maxstate/architecture.h"
#include "maxstate/npy.h"
#include "maxstate/resources.h"
#include "maxstate/trace.h"
#include "maxstate/vocabulary.h"

namespace maxstate {
namespace {

TEST(DemoModels, TraceTheDemoTextAsPyTorchDoes) {
  const std::string dir = test::goldenDir("demo");
  if (!std::filesystem::exists(dir + "/cases.json"))
    GTEST_SKIP() << "no golden data: run the suite through ctest (needs python3-torch)";
  const nlohmann::json golden = test::readJson(dir + "/cases.json");
  const Vocabulary vocab = Vocabulary::load(demoVocabularyPath());
  const std::vector<int64_t> ids = vocab.encode(demoText());
  ASSERT_EQ(ids, golden["ids"].get<std::vector<int64_t>>());

  const std::vector<DemoCheckpoint> checkpoints = demoCheckpoints();
  ASSERT_EQ(checkpoints.size(), golden["checkpoints"].size());
  for (const DemoCheckpoint& c : checkpoints) {
    SCOPED_TRACE(c.path);
    ModelWeights weights = loadModel(c.path);
    EXPECT_EQ(variantName(weights.info.variant), c.variant);
    EXPECT_EQ(weights.info.heads, c.heads);
    EXPECT_EQ(weights.info.dtype, StorageType::Float16);
    ASSERT_EQ(weights.info.vocabSize, vocab.size());
    EXPECT_NO_THROW(vocab.checkFitsModel(*weights.info.vocabSize));
    const Model model(std::move(weights));
    const auto trace = model.trace(ids);
    const std::string name = std::filesystem::path(c.path).filename().string();
    EXPECT_TRUE(test::closeRelative(trace->logits(0, trace->length()),
                                    readNpyFloat(dir + "/" + name + ".logits.npy"), 1e-5));
  }
}

}  // namespace
}  // namespace maxstate
