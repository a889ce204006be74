#include "model_case.h"

#include <cmath>
#include <random>

#include "golden.h"
#include "maxstate/npy.h"

namespace maxstate::test {

ModelCase loadModelCase(const std::string& name) {
  ModelCase c;
  c.name = name;
  c.dir = goldenDir("model") + "/" + name;
  c.meta = readJson(c.dir + "/meta.json");
  const std::string w = c.dir + "/weights/";
  auto load = [&](const std::string& key) { return readNpyFloat(w + key + ".npy"); };
  auto scalar = [&](const std::string& key) { return load(key)[0]; };
  const Variant variant = c.meta["variant"] == "seed" ? Variant::Seed : Variant::OpenAsh;
  ModelWeights& m = c.weights;
  m.info.kind = ModelKind::Model;
  m.info.variant = variant;
  m.embedding = load("em.weight");
  m.headScore = load("head_score.weight");
  for (int n = 0; n < c.meta["layers"].get<int>(); ++n) {
    const std::string p = "decoder_layers." + std::to_string(n) + ".";
    const std::string a = p + "self_attention_linear.";
    DecoderLayerWeights l;
    l.attention.variant = variant;
    l.attention.heads = c.meta["heads"];
    l.attention.combined = load(a + "combined.weight");
    l.attention.alpha1 = scalar(a + "alpha1");
    l.attention.alpha2 = scalar(a + "alpha2");
    l.attention.alpha3 = scalar(a + "alpha3");
    if (variant == Variant::Seed)
      l.attention.alpha4 = scalar(a + "alpha4");
    else
      l.attention.headLinear = load(a + "head_linear.weight");
    l.ffn1Weight = load(p + "ffn.ffn1.weight");
    l.ffn1Bias = load(p + "ffn.ffn1.bias");
    l.gateWeight = load(p + "ffn.gate.weight");
    l.gateBias = load(p + "ffn.gate.bias");
    l.ffn2Weight = load(p + "ffn.ffn2.weight");
    l.ffn2Bias = load(p + "ffn.ffn2.bias");
    l.normWeight = load(p + "layer_norm.weight");
    l.normBias = load(p + "layer_norm.bias");
    l.residualAlpha = scalar(p + "alpha");
    m.layers.push_back(std::move(l));
  }
  const IndexArray ids = readNpyIndex(c.dir + "/ids.npy");
  c.ids.assign(ids.data(), ids.data() + ids.size());
  return c;
}

std::vector<std::string> modelCaseNames() {
  auto names = goldenCases("model");
  if (names.empty()) names.push_back("<missing>");
  return names;
}

namespace {

FloatArray randomArray(Shape shape, std::mt19937& rng, float scale, float offset = 0) {
  std::normal_distribution<float> normal(0, 1);
  FloatArray a(std::move(shape));
  for (int64_t i = 0; i < a.size(); ++i) a[i] = offset + scale * normal(rng);
  return a;
}

}  // namespace

ModelWeights randomModel(Variant variant, int64_t vocab, int64_t dim, int64_t heads, int layers,
                         uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> alpha(-0.25f, 1.25f);
  const float s = 1 / std::sqrt(float(dim));
  ModelWeights m;
  m.info.kind = ModelKind::Model;
  m.embedding = randomArray({vocab, dim}, rng, 1);
  m.headScore = randomArray({vocab, dim}, rng, s);
  for (int n = 0; n < layers; ++n) {
    DecoderLayerWeights l;
    l.attention.variant = variant;
    l.attention.heads = heads;
    l.attention.combined = randomArray({4 * dim, dim}, rng, s);
    l.attention.alpha1 = alpha(rng);
    l.attention.alpha2 = alpha(rng);
    l.attention.alpha3 = alpha(rng);
    if (variant == Variant::OpenAsh) l.attention.headLinear = randomArray({heads, 5 * heads}, rng, 0.3f);
    l.ffn1Weight = randomArray({dim, dim}, rng, s);
    l.ffn1Bias = randomArray({dim}, rng, 0.1f);
    l.gateWeight = randomArray({dim, dim}, rng, s);
    l.gateBias = randomArray({dim}, rng, 0.1f);
    l.ffn2Weight = randomArray({dim, dim}, rng, s);
    l.ffn2Bias = randomArray({dim}, rng, 0.1f);
    l.normWeight = randomArray({dim}, rng, 0.2f, 1);
    l.normBias = randomArray({dim}, rng, 0.1f);
    l.residualAlpha = alpha(rng);
    m.layers.push_back(std::move(l));
  }
  return m;
}

std::vector<int64_t> randomIds(int64_t count, int64_t vocab, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int64_t> id(0, vocab - 1);
  std::vector<int64_t> ids(static_cast<size_t>(count));
  for (auto& i : ids) i = id(rng);
  return ids;
}

}  // namespace maxstate::test
