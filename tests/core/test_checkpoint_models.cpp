// The reader and architecture recognition together, on every PyTorch fixture that holds a model or a layer:
// the sizes, dtype, parameter count and every alpha equal what make_checkpoints.py computed from the saved
// tensors (the "model" entry of expected.json, which is also what `maxstate inspect --json` must print).
#include <gtest/gtest.h>

#include "checkpoint_fixtures.h"
#include "maxstate/architecture.h"

namespace maxstate::test {
namespace {

TEST(CheckpointModels, EveryFixtureIsRecognisedAsPyTorchDescribesIt) {
  const auto cases = goldenCases("checkpoints");
  if (cases.empty()) GTEST_SKIP() << "no checkpoint fixtures: run ctest (reference.checkpoints) first";
  int checked = 0;
  for (const std::string& c : cases) {
    const auto expected = readJson(goldenDir("checkpoints") + "/" + c + "/expected.json")["model"];
    if (expected.is_null()) continue;
    SCOPED_TRACE(c);
    // Seed-variant heads cannot be read off the shapes: the test gives them, as a user would with --heads.
    const bool seed = expected["variant"] == "seed";
    ModelWeights w;
    ASSERT_NO_THROW(
        w = loadModel(fixturePath(c),
                      seed ? std::optional<int64_t>(expected["heads"].get<int64_t>()) : std::nullopt))
        << errorOf([&] { loadModel(fixturePath(c)); });
    const ModelInfo& info = w.info;
    EXPECT_EQ(formatName(info.format), expected["format"].get<std::string>());
    EXPECT_EQ(variantName(info.variant), expected["variant"].get<std::string>());
    EXPECT_EQ(kindName(info.kind), expected["kind"].get<std::string>());
    if (expected["vocab_size"].is_null())
      EXPECT_FALSE(info.vocabSize.has_value());
    else
      EXPECT_EQ(info.vocabSize.value_or(-1), expected["vocab_size"].get<int64_t>());
    EXPECT_EQ(info.hidden, expected["hidden"].get<int64_t>());
    EXPECT_EQ(info.heads, expected["heads"].get<int64_t>());
    EXPECT_EQ(info.layers, expected["layers"].get<int64_t>());
    EXPECT_EQ(storageTypeName(info.dtype), expected["dtype"].get<std::string>());
    EXPECT_EQ(info.parameters, expected["parameters"].get<int64_t>());
    ASSERT_EQ(w.layers.size(), expected["layers_info"].size());
    for (const auto& layer : expected["layers_info"]) {
      const auto& got = w.layers[layer["index"].get<size_t>()];
      EXPECT_EQ(got.attention.alpha1, layer["alpha1"].get<float>());
      EXPECT_EQ(got.attention.alpha2, layer["alpha2"].get<float>());
      EXPECT_EQ(got.attention.alpha3, layer["alpha3"].get<float>());
      if (layer.contains("alpha4")) EXPECT_EQ(got.attention.alpha4, layer["alpha4"].get<float>());
      if (layer.contains("residual_alpha"))
        EXPECT_EQ(got.residualAlpha, layer["residual_alpha"].get<float>());
    }
    ++checked;
  }
  EXPECT_GE(checked, 30);
}

}  // namespace
}  // namespace maxstate::test
