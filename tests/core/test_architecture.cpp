// Recognising the architecture in synthetic checkpoints (FloatArrays of the right shapes): every layout of
// SPEC sections 1-2, the sizes, parameter count and dtype inferred, and every error with its message.
#include <gtest/gtest.h>

#include <functional>

#include "expect_error.h"
#include "maxstate/architecture.h"
#include "maxstate/error.h"

namespace maxstate {
namespace {

// Distinct values so that a swapped or ignored alpha shows.
float alphaValue(int layer, int which) { return 0.125f * float(which) + 0.03125f * float(layer) - 0.25f; }

CheckpointTensor tensor(const Shape& shape, float fill = 0, StorageType type = StorageType::Float32) {
  FloatArray values(shape);
  for (int64_t i = 0; i < values.size(); ++i) values[i] = fill + 0.001f * float(i % 7);
  return CheckpointTensor(std::move(values), type);
}

// The same tensor, declared as stored in another dtype.
void setStoredAs(Checkpoint& cp, const std::string& key, StorageType type) {
  cp.tensors[key] = CheckpointTensor(cp.tensors.at(key).values(), type);
}

// Recognition hands out the checkpoint's values, read into its own memory.
::testing::AssertionResult sameValues(const FloatArray& got, const CheckpointTensor& expected) {
  const FloatArray want = expected.values();
  if (got.shape() != want.shape())
    return ::testing::AssertionFailure()
           << "shape " << shapeToString(got.shape()) << " vs " << shapeToString(want.shape());
  for (int64_t i = 0; i < want.size(); ++i)
    if (got[i] != want[i]) return ::testing::AssertionFailure() << "element " << i << " differs";
  return ::testing::AssertionSuccess();
}

struct Spec {
  int64_t vocab = 11, d = 8, heads = 2, layers = 3;
  Variant variant = Variant::OpenAsh;
  std::string prefix;
};

void addAttention(Checkpoint& cp, const std::string& p, const Spec& s, int layer) {
  cp.tensors[p + "combined.weight"] = tensor({4 * s.d, s.d}, float(layer));
  for (int a = 1; a <= 3; ++a) cp.tensors[p + "alpha" + std::to_string(a)] = tensor({}, alphaValue(layer, a));
  if (s.variant == Variant::Seed)
    cp.tensors[p + "alpha4"] = tensor({}, alphaValue(layer, 4));
  else
    cp.tensors[p + "head_linear.weight"] = tensor({s.heads, 5 * s.heads}, float(layer));
}

Checkpoint makeModel(const Spec& s = {}) {
  Checkpoint cp;
  const std::string& p = s.prefix;
  cp.tensors[p + "em.weight"] = tensor({s.vocab, s.d});
  cp.tensors[p + "head_score.weight"] = tensor({s.vocab, s.d}, 1);
  for (int n = 0; n < s.layers; ++n) {
    const std::string l = p + "decoder_layers." + std::to_string(n) + ".";
    addAttention(cp, l + "self_attention_linear.", s, n);
    for (const char* f : {"ffn1", "gate", "ffn2"}) {
      cp.tensors[l + "ffn." + f + ".weight"] = tensor({s.d, s.d});
      cp.tensors[l + "ffn." + f + ".bias"] = tensor({s.d});
    }
    cp.tensors[l + "layer_norm.weight"] = tensor({s.d}, 1);
    cp.tensors[l + "layer_norm.bias"] = tensor({s.d});
    cp.tensors[l + "alpha"] = tensor({}, alphaValue(n, 0));
  }
  return cp;
}

Checkpoint makeLayer(const Spec& s = {}) {
  Checkpoint cp;
  addAttention(cp, s.prefix, s, 0);
  return cp;
}

int64_t modelParameters(const Spec& s) {
  const int64_t attention = 4 * s.d * s.d + 3 + (s.variant == Variant::Seed ? 1 : 5 * s.heads * s.heads);
  const int64_t block = attention + 3 * (s.d * s.d + s.d) + 2 * s.d + 1;
  return 2 * s.vocab * s.d + s.layers * block;
}

HeadsHint heads(int64_t h) {
  HeadsHint hint;
  hint.heads = h;
  return hint;
}

void expectRecogniseError(const Checkpoint& cp, ErrorKind kind, const std::string& message,
                          HeadsHint hint = {}) {
  expectError([&] { recogniseModel(cp, hint); }, kind, message);
}

// ---------------------------------------------------------------------------------------------- recognition

TEST(Architecture, RecognisesAnOpenAshModel) {
  const Spec s;
  const Checkpoint cp = makeModel(s);
  const ModelWeights m = recogniseModel(cp);
  EXPECT_EQ(m.info.kind, ModelKind::Model);
  EXPECT_EQ(m.info.variant, Variant::OpenAsh);
  EXPECT_EQ(m.info.vocabSize, std::optional<int64_t>(11));
  EXPECT_EQ(m.info.hidden, 8);
  EXPECT_EQ(m.info.heads, 2);
  EXPECT_EQ(m.info.layers, 3);
  EXPECT_EQ(m.info.parameters, modelParameters(s));
  EXPECT_EQ(m.info.dtype, StorageType::Float32);
  EXPECT_TRUE(sameValues(m.embedding, cp.tensors.at("em.weight")));
  EXPECT_TRUE(sameValues(m.headScore, cp.tensors.at("head_score.weight")));
  ASSERT_EQ(m.layers.size(), 3u);
  for (int n = 0; n < 3; ++n) {
    const std::string l = "decoder_layers." + std::to_string(n) + ".";
    const DecoderLayerWeights& layer = m.layers[size_t(n)];
    EXPECT_EQ(layer.attention.variant, Variant::OpenAsh);
    EXPECT_EQ(layer.attention.heads, 2);
    EXPECT_EQ(layer.attention.alpha1, alphaValue(n, 1));
    EXPECT_EQ(layer.attention.alpha2, alphaValue(n, 2));
    EXPECT_EQ(layer.attention.alpha3, alphaValue(n, 3));
    EXPECT_EQ(layer.residualAlpha, alphaValue(n, 0));
    EXPECT_TRUE(
        sameValues(layer.attention.combined, cp.tensors.at(l + "self_attention_linear.combined.weight")));
    EXPECT_TRUE(sameValues(layer.attention.headLinear,
                           cp.tensors.at(l + "self_attention_linear.head_linear.weight")));
    EXPECT_TRUE(sameValues(layer.ffn1Weight, cp.tensors.at(l + "ffn.ffn1.weight")));
    EXPECT_TRUE(sameValues(layer.ffn1Bias, cp.tensors.at(l + "ffn.ffn1.bias")));
    EXPECT_TRUE(sameValues(layer.gateWeight, cp.tensors.at(l + "ffn.gate.weight")));
    EXPECT_TRUE(sameValues(layer.gateBias, cp.tensors.at(l + "ffn.gate.bias")));
    EXPECT_TRUE(sameValues(layer.ffn2Weight, cp.tensors.at(l + "ffn.ffn2.weight")));
    EXPECT_TRUE(sameValues(layer.ffn2Bias, cp.tensors.at(l + "ffn.ffn2.bias")));
    EXPECT_TRUE(sameValues(layer.normWeight, cp.tensors.at(l + "layer_norm.weight")));
    EXPECT_TRUE(sameValues(layer.normBias, cp.tensors.at(l + "layer_norm.bias")));
  }
}

TEST(Architecture, KeepsTheCheckpointFormat) {
  Checkpoint cp = makeModel();
  for (CheckpointFormat f : {CheckpointFormat::TorchZip, CheckpointFormat::TorchLegacy,
                             CheckpointFormat::Safetensors, CheckpointFormat::TorchScript}) {
    cp.format = f;
    EXPECT_EQ(recogniseModel(cp).info.format, f);
  }
}

TEST(Architecture, CountsThePublishedModelsParameters) {
  // V=23005, d=768, H=8, L=12: 84,930,864 parameters (SPEC section 2). Only shapes matter, so every tensor
  // shares one buffer instead of allocating 340 MB.
  const Spec s{23005, 768, 8, 12};
  auto buffer = std::shared_ptr<float[]>(new float[size_t(23005) * 768]());
  Checkpoint cp = makeModel({2, 1, 1, 12});  // every key, tiny shapes...
  Checkpoint big;
  for (auto& [key, t] : cp.tensors) {  // ...then the published shapes over the shared buffer
    Shape shape;
    if (key == "em.weight" || key == "head_score.weight")
      shape = {23005, 768};
    else if (key.find("combined") != std::string::npos)
      shape = {3072, 768};
    else if (key.find("head_linear") != std::string::npos)
      shape = {8, 40};
    else if (key.find(".weight") != std::string::npos && key.find("ffn") != std::string::npos)
      shape = {768, 768};
    else if (t.shape().size() == 1)
      shape = {768};
    big.tensors[key] = CheckpointTensor(FloatArray(shape, buffer), StorageType::Float16);
  }
  const ModelSummary m = summariseModel(big);  // declared shapes only: nothing is read
  EXPECT_EQ(m.info.parameters, 84930864);
  EXPECT_EQ(m.info.parameters, modelParameters(s));
  EXPECT_EQ(m.info.heads, 8);
  EXPECT_EQ(m.info.layers, 12);
  EXPECT_EQ(m.info.vocabSize, std::optional<int64_t>(23005));
  EXPECT_EQ(m.info.dtype, StorageType::Float16);
}

TEST(Architecture, RecognisesAnOpenAshBareLayer) {
  const Checkpoint cp = makeLayer({0, 12, 3, 1});
  const ModelWeights m = recogniseModel(cp);
  EXPECT_EQ(m.info.kind, ModelKind::Layer);
  EXPECT_EQ(m.info.variant, Variant::OpenAsh);
  EXPECT_EQ(m.info.vocabSize, std::nullopt);
  EXPECT_EQ(m.info.hidden, 12);
  EXPECT_EQ(m.info.heads, 3);
  EXPECT_EQ(m.info.layers, 1);
  EXPECT_EQ(m.info.parameters, 4 * 12 * 12 + 3 + 3 * 15);
  ASSERT_EQ(m.layers.size(), 1u);
  const LayerWeights& w = m.layers[0].attention;
  EXPECT_EQ(w.heads, 3);
  EXPECT_EQ(w.alpha1, alphaValue(0, 1));
  EXPECT_EQ(w.alpha2, alphaValue(0, 2));
  EXPECT_EQ(w.alpha3, alphaValue(0, 3));
  EXPECT_EQ(w.combined.shape(), (Shape{48, 12}));
  EXPECT_EQ(w.headLinear.shape(), (Shape{3, 15}));
  EXPECT_TRUE(m.embedding.empty());
  EXPECT_TRUE(m.headScore.empty());
}

TEST(Architecture, RecognisesABareLayerUnderAPrefix) {
  for (const std::string prefix :
       {"layer.", "self_attention_linear.", "model.mixer.", "decoder_layers.0.self_attention_linear."}) {
    SCOPED_TRACE(prefix);
    const ModelWeights m = recogniseModel(makeLayer({0, 8, 4, 1, Variant::OpenAsh, prefix}));
    EXPECT_EQ(m.info.kind, ModelKind::Layer);
    EXPECT_EQ(m.info.heads, 4);
    EXPECT_EQ(m.layers[0].attention.alpha2, alphaValue(0, 2));
  }
}

TEST(Architecture, RecognisesAModelUnderAPrefix) {
  const ModelWeights m = recogniseModel(makeModel({5, 8, 2, 2, Variant::OpenAsh, "model."}));
  EXPECT_EQ(m.info.kind, ModelKind::Model);
  EXPECT_EQ(m.info.layers, 2);
  EXPECT_EQ(m.info.vocabSize, std::optional<int64_t>(5));
}

TEST(Architecture, RecognisesASeedBareLayerWithTheHeadsGiven) {
  const Checkpoint cp = makeLayer({0, 12, 0, 1, Variant::Seed});
  const ModelWeights m = recogniseModel(cp, heads(4));
  EXPECT_EQ(m.info.kind, ModelKind::Layer);
  EXPECT_EQ(m.info.variant, Variant::Seed);
  EXPECT_EQ(m.info.heads, 4);
  EXPECT_EQ(m.info.hidden, 12);
  EXPECT_EQ(m.info.parameters, 4 * 12 * 12 + 4);
  const LayerWeights& w = m.layers[0].attention;
  EXPECT_EQ(w.variant, Variant::Seed);
  EXPECT_EQ(w.heads, 4);
  EXPECT_EQ(w.alpha1, alphaValue(0, 1));
  EXPECT_EQ(w.alpha4, alphaValue(0, 4));
  EXPECT_TRUE(w.headLinear.empty());
}

TEST(Architecture, RecognisesAnOpenAshShapedModelWithSeedLayers) {
  const Spec s{7, 6, 0, 2, Variant::Seed};
  const ModelWeights m = recogniseModel(makeModel(s), heads(3));
  EXPECT_EQ(m.info.kind, ModelKind::Model);
  EXPECT_EQ(m.info.variant, Variant::Seed);
  EXPECT_EQ(m.info.heads, 3);
  EXPECT_EQ(m.info.layers, 2);
  EXPECT_EQ(m.info.parameters, modelParameters(s));
  for (int n = 0; n < 2; ++n) {
    EXPECT_EQ(m.layers[size_t(n)].attention.heads, 3);
    EXPECT_EQ(m.layers[size_t(n)].attention.alpha4, alphaValue(n, 4));
    EXPECT_EQ(m.layers[size_t(n)].residualAlpha, alphaValue(n, 0));
  }
}

TEST(Architecture, HeadsGivenForAnOpenAshCheckpointMustAgree) {
  EXPECT_EQ(recogniseModel(makeModel(), heads(2)).info.heads, 2);
  expectRecogniseError(
      makeModel(), ErrorKind::Usage,
      "--heads says 4 heads, but decoder_layers.0.self_attention_linear.head_linear.weight has shape "
      "[2, 10], so the checkpoint has 2: leave the heads out, they are read from the checkpoint",
      heads(4));
  HeadsHint fromFile = heads(1);
  fromFile.origin = "the side file m.pth.json";
  expectRecogniseError(
      makeLayer(), ErrorKind::Usage,
      "the side file m.pth.json says 1 heads, but head_linear.weight has shape [2, 10], so the "
      "checkpoint has 2: leave the heads out, they are read from the checkpoint",
      fromFile);
}

TEST(Architecture, TheDominantStorageTypeIsTheOneHoldingMostElements) {
  for (StorageType type : {StorageType::Float16, StorageType::BFloat16, StorageType::Float64}) {
    Checkpoint cp = makeModel();
    setStoredAs(cp, "em.weight", type);  // 88 elements, more than any other tensor kind alone...
    setStoredAs(cp, "head_score.weight", type);
    for (int n = 0; n < 3; ++n)  // ...and the combined projections make it the majority
      setStoredAs(cp, "decoder_layers." + std::to_string(n) + ".self_attention_linear.combined.weight", type);
    EXPECT_EQ(recogniseModel(cp).info.dtype, type);
  }
  Checkpoint cp = makeModel();
  setStoredAs(cp, "em.weight", StorageType::Float16);  // a minority
  EXPECT_EQ(recogniseModel(cp).info.dtype, StorageType::Float32);
}

TEST(Architecture, AcceptsScalarsSavedWithShapeOne) {
  Checkpoint cp = makeLayer();
  cp.tensors["alpha2"] = tensor({1}, 0.75f);
  EXPECT_EQ(recogniseModel(cp).layers[0].attention.alpha2, 0.75f);
}

TEST(Architecture, NamesKindsAndVariants) {
  EXPECT_STREQ(kindName(ModelKind::Model), "model");
  EXPECT_STREQ(kindName(ModelKind::Layer), "layer");
  EXPECT_STREQ(variantName(Variant::Seed), "seed");
  EXPECT_STREQ(variantName(Variant::OpenAsh), "openash");
  EXPECT_EQ(termCount(Variant::Seed), 5);
  EXPECT_EQ(termCount(Variant::OpenAsh), 6);
}

// ----------------------------------------------------------------------------------------------------- heads

TEST(ArchitectureErrors, SeedHeadsAreAskedFor) {
  expectRecogniseError(
      makeLayer({0, 12, 0, 1, Variant::Seed}), ErrorKind::Usage,
      "this seed-variant checkpoint does not say how many heads it has (it has no head_linear): "
      "pass --heads N, or write {\"heads\": N} to a side file <checkpoint>.json (N divides the "
      "hidden size 12: 1, 2, 3, 4, 6, 12)");
  HeadsHint hint;
  hint.sideFilePath = "/data/m.pth.json";
  expectRecogniseError(
      makeModel({5, 768, 0, 1, Variant::Seed}), ErrorKind::Usage,
      "this seed-variant checkpoint does not say how many heads it has (it has no head_linear): "
      "pass --heads N, or write {\"heads\": N} to /data/m.pth.json (N divides the hidden size 768: "
      "1, 2, 3, 4, 6, 8, 12, 16, 24, 32 and 8 more)",
      hint);
}

TEST(ArchitectureErrors, HeadsThatDoNotDivideTheHiddenSize) {
  expectRecogniseError(
      makeLayer({0, 12, 0, 1, Variant::Seed}), ErrorKind::Usage,
      "--heads says 5 heads, which do not divide the hidden size 12: choose one of 1, 2, 3, 4, 6, 12",
      heads(5));
  expectRecogniseError(
      makeLayer({0, 12, 0, 1, Variant::Seed}), ErrorKind::Usage,
      "--heads says 0 heads, but a layer has at least 1: choose one of 1, 2, 3, 4, 6, 12 (the "
      "divisors of the hidden size 12)",
      heads(0));
  expectRecogniseError(
      makeLayer({0, 12, 0, 1, Variant::Seed}), ErrorKind::Usage,
      "--heads says -3 heads, but a layer has at least 1: choose one of 1, 2, 3, 4, 6, 12 (the "
      "divisors of the hidden size 12)",
      heads(-3));
  expectRecogniseError(
      makeModel({5, 8, 3, 2}), ErrorKind::Shape,
      "decoder_layers.0.self_attention_linear.head_linear.weight has shape [3, 15], so 3 heads, which "
      "do not divide the hidden size 8 (from em.weight)");
  expectRecogniseError(
      makeLayer({0, 10, 4, 1}), ErrorKind::Shape,
      "head_linear.weight has shape [4, 20], so 4 heads, which do not divide the hidden size 10 (from "
      "combined.weight)");
  // The layer that sets the heads is the one named, even when later layers disagree with it.
  Checkpoint cp = makeModel({5, 8, 2, 3});
  cp.tensors["decoder_layers.0.self_attention_linear.head_linear.weight"] = tensor({3, 15});
  expectRecogniseError(
      cp, ErrorKind::Shape,
      "decoder_layers.0.self_attention_linear.head_linear.weight has shape [3, 15], so 3 heads, which "
      "do not divide the hidden size 8 (from em.weight)");
}

// ---------------------------------------------------------------------------------------------------- shapes

TEST(ArchitectureErrors, ContradictingShapesNameTheKeyItsShapeAndTheShapeExpected) {
  struct Case {
    bool bareLayer;  // makeLayer() rather than makeModel()
    const char* key;
    Shape shape;  // what the checkpoint holds instead
    const char* message;
  };
  const Case cases[] = {
      {false,
       "decoder_layers.1.self_attention_linear.combined.weight",
       {31, 8},
       "decoder_layers.1.self_attention_linear.combined.weight has shape [31, 8], expected [32, 8] (4 x "
       "hidden rows, hidden size 8, from em.weight)"},
      {false,
       "head_score.weight",
       {12, 8},
       "head_score.weight has shape [12, 8], expected [11, 8] (vocabulary 11 and hidden size 8, from "
       "em.weight)"},
      {false,
       "decoder_layers.2.ffn.gate.weight",
       {8, 16},
       "decoder_layers.2.ffn.gate.weight has shape [8, 16], expected [8, 8] (hidden size 8, from em.weight)"},
      {false,
       "decoder_layers.0.layer_norm.bias",
       {9},
       "decoder_layers.0.layer_norm.bias has shape [9], expected [8] (hidden size 8, from em.weight)"},
      {false,
       "decoder_layers.2.self_attention_linear.head_linear.weight",
       {4, 20},
       "decoder_layers.2.self_attention_linear.head_linear.weight has shape [4, 20], expected [2, 10] (2 "
       "heads, from decoder_layers.0.self_attention_linear.head_linear.weight)"},
      {false,
       "decoder_layers.0.self_attention_linear.head_linear.weight",
       {2, 9},
       "decoder_layers.0.self_attention_linear.head_linear.weight has shape [2, 9], expected [2, 10] "
       "(head_linear maps the 5 branches of H heads to H heads)"},
      {false,
       "decoder_layers.1.alpha",
       {2},
       "decoder_layers.1.alpha has shape [2], expected a scalar [] (it is one learned number)"},
      {false,
       "em.weight",
       {88},
       "em.weight has shape [88], expected [vocabulary, hidden] with both at least 1 (a token embedding "
       "matrix)"},
      {true,
       "combined.weight",
       {30, 8},
       "combined.weight has shape [30, 8], expected [32, 8] (the layer's projection to its 4 branches)"},
      {true,
       "combined.weight",
       {32},
       "combined.weight has shape [32], expected [4 x hidden, hidden] (the layer's projection to its 4 "
       "branches)"},
      {true,
       "head_linear.weight",
       {10},
       "head_linear.weight has shape [10], expected [H, 5H] (head_linear maps the 5 branches of H heads to H "
       "heads)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.key);
    Checkpoint cp = c.bareLayer ? makeLayer() : makeModel();
    cp.tensors[c.key] = tensor(c.shape);
    expectRecogniseError(cp, ErrorKind::Shape, c.message);
  }
}

// ------------------------------------------------------------------------------------- missing and unknown
// keys

TEST(ArchitectureErrors, MissingKeysAreNamed) {
  Checkpoint cp = makeModel();
  cp.tensors.erase("decoder_layers.1.self_attention_linear.alpha2");
  cp.tensors.erase("decoder_layers.0.layer_norm.bias");
  expectRecogniseError(cp, ErrorKind::Unsupported,
                       "unsupported layout for an OpenASH model: missing decoder_layers.0.layer_norm.bias, "
                       "decoder_layers.1.self_attention_linear.alpha2");

  cp = makeModel({11, 8, 2, 4});
  for (auto it = cp.tensors.begin(); it != cp.tensors.end();)
    it = it->first.rfind("decoder_layers.2.", 0) == 0 ? cp.tensors.erase(it) : std::next(it);
  expectRecogniseError(
      cp, ErrorKind::Unsupported,
      "unsupported layout for an OpenASH model: missing decoder_layers.2.* (all of layer 2)");

  cp = makeModel();
  cp.tensors.erase("head_score.weight");
  expectRecogniseError(cp, ErrorKind::Unsupported,
                       "unsupported layout for an OpenASH model: missing head_score.weight");

  cp = makeModel();
  cp.tensors.erase("em.weight");
  cp.tensors.erase("head_score.weight");
  expectRecogniseError(cp, ErrorKind::Unsupported,
                       "unsupported layout for an OpenASH model: missing em.weight, head_score.weight");

  cp = makeModel({11, 8, 2, 0});
  expectRecogniseError(
      cp, ErrorKind::Unsupported,
      "unsupported layout for an OpenASH model: missing decoder_layers.0.* (the model has no decoder "
      "layers)");

  cp = makeLayer();
  cp.tensors.erase("head_linear.weight");
  cp.tensors.erase("alpha3");
  expectRecogniseError(
      cp, ErrorKind::Unsupported,
      "unsupported layout for a bare MaxStateSuper layer: missing alpha3, head_linear.weight "
      "(openash variant) or alpha4 (seed variant)");
}

TEST(ArchitectureErrors, UnknownKeysAreListed) {
  // A derivative with a norm-capped state: recognisable, but with a parameter we do not understand.
  Checkpoint cp = makeModel();
  cp.tensors["decoder_layers.1.self_attention_linear.norm_cap"] = tensor({});
  expectRecogniseError(cp, ErrorKind::Unsupported,
                       "unsupported layout for an OpenASH model: 1 key is not understood: "
                       "decoder_layers.1.self_attention_linear.norm_cap");

  // Convolutional branches: many unknown keys are listed a few at a time; missing ones are named too.
  cp = makeLayer();
  for (int i = 0; i < 8; ++i) cp.tensors["conv" + std::to_string(i) + ".weight"] = tensor({3});
  cp.tensors.erase("alpha1");
  expectRecogniseError(
      cp, ErrorKind::Unsupported,
      "unsupported layout for a bare MaxStateSuper layer: 8 keys are not understood: conv0.weight, "
      "conv1.weight, conv2.weight, conv3.weight, conv4.weight and 3 more; missing alpha1");

  // Keys outside the model's prefix.
  cp = makeModel({5, 8, 2, 1, Variant::OpenAsh, "model."});
  cp.tensors["ema.em.weight"] = tensor({5, 8});
  expectRecogniseError(cp, ErrorKind::Unsupported,
                       "unsupported layout for an OpenASH model: 1 key is not understood: ema.em.weight");

  // Both variants' keys at once: the one that decided nothing is reported.
  cp = makeLayer();
  cp.tensors["alpha4"] = tensor({});
  expectRecogniseError(cp, ErrorKind::Unsupported,
                       "unsupported layout for a bare MaxStateSuper layer: 1 key is not understood: alpha4");

  // A decoder layer index that PyTorch would never write.
  cp = makeModel({5, 8, 2, 1});
  cp.tensors["decoder_layers.01.alpha"] = tensor({});
  expectRecogniseError(
      cp, ErrorKind::Unsupported,
      "unsupported layout for an OpenASH model: 1 key is not understood: decoder_layers.01.alpha");
}

TEST(ArchitectureErrors, LayersOfDifferentVariantsAreRefused) {
  Checkpoint cp = makeModel({5, 8, 2, 2});
  const Checkpoint seed = makeModel({5, 8, 2, 2, Variant::Seed});
  cp.tensors.erase("decoder_layers.1.self_attention_linear.head_linear.weight");
  cp.tensors["decoder_layers.1.self_attention_linear.alpha4"] =
      seed.tensors.at("decoder_layers.1.self_attention_linear.alpha4");
  expectRecogniseError(
      cp, ErrorKind::Unsupported,
      "layers of different variants in one model: decoder_layers.0.self_attention_linear is the "
      "openash variant (it has head_linear.weight), but decoder_layers.1.self_attention_linear is "
      "the seed variant (it has alpha4)",
      heads(2));
}

TEST(ArchitectureErrors, UnknownLayoutsListTheirKeys) {
  Checkpoint cp;
  for (const char* k : {"conv1.weight", "bn1.weight", "bn1.bias", "fc.weight", "fc.bias",
                        "layer1.0.conv1.weight", "layer1.0.conv2.weight"})
    cp.tensors[k] = tensor({2, 2});
  expectRecogniseError(
      cp, ErrorKind::Unsupported,
      "not a MaxStateSuper checkpoint: none of its 7 tensors is understood (bn1.bias, bn1.weight, "
      "conv1.weight, fc.bias, fc.weight and 2 more); expected an OpenASH model (em.weight, "
      "decoder_layers.N.self_attention_linear.combined.weight, ..., head_score.weight) or a bare "
      "layer (combined.weight, alpha1..alpha3, and head_linear.weight or alpha4)");

  // Two bare layers side by side are not a layout we know either.
  cp = makeLayer({0, 8, 2, 1, Variant::OpenAsh, "a."});
  for (auto& [k, t] : makeLayer({0, 8, 2, 1, Variant::OpenAsh, "b."}).tensors) cp.tensors[k] = t;
  try {
    recogniseModel(cp);
    ADD_FAILURE() << "two layers recognised";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Unsupported);
    EXPECT_EQ(std::string(e.what()).rfind("not a MaxStateSuper checkpoint: none of its 10 tensors", 0), 0u)
        << e.what();
  }
}

TEST(ArchitectureErrors, AnEmptyCheckpointSaysWhatItHeld) {
  expectRecogniseError(Checkpoint{}, ErrorKind::Unsupported,
                       "the checkpoint holds no floating-point tensors, so no model weights");
  Checkpoint cp;
  cp.skipped = {"step", "epoch"};
  expectRecogniseError(
      cp, ErrorKind::Unsupported,
      "the checkpoint holds no floating-point tensors, so no model weights (it only has step, "
      "epoch)");
}

}  // namespace
}  // namespace maxstate
