// Bare MaxStateSuper layers through Model::traceInput, against the layer golden data of
// tests/reference/make_layer_golden.py.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "golden.h"
#include "maxstate/error.h"
#include "maxstate/npy.h"
#include "maxstate/trace.h"

namespace maxstate {
namespace {

using test::closeRelative;
using test::identical;

ModelWeights bareLayer(const std::string& dir, const nlohmann::json& meta) {
  ModelWeights w;
  w.info.kind = ModelKind::Layer;
  LayerWeights& a = w.layers.emplace_back().attention;
  a.variant = meta["variant"] == "seed" ? Variant::Seed : Variant::OpenAsh;
  a.heads = meta["heads"];
  a.combined = readNpyFloat(dir + "/combined.npy");
  a.alpha1 = meta["alpha1"];
  a.alpha2 = meta["alpha2"];
  a.alpha3 = meta["alpha3"];
  if (meta.contains("alpha4")) a.alpha4 = meta["alpha4"];
  if (a.variant == Variant::OpenAsh) a.headLinear = readNpyFloat(dir + "/head_linear.npy");
  return w;
}

class BareLayerGolden : public ::testing::TestWithParam<std::string> {};

std::vector<std::string> cases() {
  auto names = test::goldenCases("layer");
  if (names.empty()) names.push_back("<missing>");
  return names;
}

TEST_P(BareLayerGolden, TraceInputMatchesPyTorch) {
  if (GetParam() == "<missing>") GTEST_SKIP() << "no golden data: run the suite through ctest";
  const std::string dir = test::goldenDir("layer") + "/" + GetParam();
  const auto meta = test::readJson(dir + "/meta.json");
  const Model model(bareLayer(dir, meta));
  EXPECT_EQ(model.info().kind, ModelKind::Layer);
  EXPECT_EQ(model.info().layers, 1);
  EXPECT_FALSE(model.info().vocabSize.has_value());
  const FloatArray x = readNpyFloat(dir + "/x.npy");
  for (RunMode mode : {RunMode::Parallel, RunMode::Step}) {
    SCOPED_TRACE(mode == RunMode::Step ? "step" : "parallel");
    TraceOptions options;
    options.mode = mode;
    const auto trace = model.traceInput(x, options);
    EXPECT_EQ(trace->length(), x.dim(0));
    EXPECT_EQ(trace->layerCount(), 1);
    EXPECT_TRUE(trace->tokens().empty());
    EXPECT_TRUE(identical(trace->layerInput(0), x));
    // Records are recomputed by one parallel run over the stored input, whichever mode made the trace.
    const auto r = trace->layer(0);
    EXPECT_TRUE(identical(r->state, readNpyFloat(dir + "/state.npy")));
    EXPECT_TRUE(identical(r->source, readNpyIndex(dir + "/source.npy")));
    EXPECT_TRUE(closeRelative(r->terms, readNpyFloat(dir + "/terms.npy"), 1e-5));
    EXPECT_TRUE(closeRelative(r->output, readNpyFloat(dir + "/output.npy"), 1e-5));
    // The state norm summary is kept by the run itself: its own state, so step differs by projection
    // rounding.
    const int64_t S = r->state.dim(0), H = r->state.dim(1), dh = r->state.dim(2);
    FloatArray norm({S, H});
    for (int64_t i = 0; i < S * H; ++i) {
      double sum = 0;
      for (int64_t j = 0; j < dh; ++j) sum += double(r->state[i * dh + j]) * r->state[i * dh + j];
      norm[i] = float(std::sqrt(sum));
    }
    EXPECT_TRUE(closeRelative(trace->stateNorm(0), norm, 1e-5));
    EXPECT_TRUE(trace->predictions(0).empty());
    EXPECT_TRUE(trace->logitLens(0).empty());
    EXPECT_THROW(trace->logits(0, 1), Error);
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, BareLayerGolden, ::testing::ValuesIn(cases()), [](const auto& info) {
  return info.param == "<missing>" ? std::string("missing") : info.param;
});

ModelWeights tinyLayer() {
  ModelWeights w;
  w.info.kind = ModelKind::Layer;
  LayerWeights& a = w.layers.emplace_back().attention;
  a.variant = Variant::Seed;
  a.heads = 2;
  a.combined = FloatArray({16, 4});
  for (int64_t i = 0; i < a.combined.size(); ++i) a.combined[i] = std::sin(float(i));
  return w;
}

TEST(BareLayer, RejectsWhatItCannotRun) {
  const Model model(tinyLayer());
  try {
    model.trace({1, 2});
    FAIL() << "token ids accepted by a bare layer";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Usage);
    EXPECT_NE(std::string(e.what()).find("--input"), std::string::npos) << e.what();
  }
  try {
    model.traceInput(FloatArray({3, 5}));
    FAIL() << "an input of the wrong width was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Shape);
    EXPECT_NE(std::string(e.what()).find("the input has shape [3, 5], expected [S, 4]"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(model.traceInput(FloatArray({0, 4})), Error);
  FloatArray x({3, 4});
  x.at({2, 1}) = std::numeric_limits<float>::quiet_NaN();
  try {
    model.traceInput(x);
    FAIL() << "a NaN input was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("row 2, column 1"), std::string::npos) << e.what();
  }
  const auto trace = model.traceInput(FloatArray({3, 4}));
  EXPECT_THROW(model.append(*trace, {1}), Error);
  ModelWeights noHeads = tinyLayer();
  noHeads.layers[0].attention.heads = 0;
  try {
    Model m(noHeads);
    FAIL() << "a seed layer without heads was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("--heads"), std::string::npos) << e.what();
  }
}

TEST(BareLayer, TheTraceKeepsItsOwnCopyOfTheInput) {
  const Model model(tinyLayer());
  FloatArray x({5, 4});
  for (int64_t i = 0; i < x.size(); ++i) x[i] = std::cos(float(i));
  const auto trace = model.traceInput(x);
  const FloatArray before = trace->layer(0)->output.clone();
  x[0] = 100;  // the caller reuses its buffer
  EXPECT_EQ(trace->layerInput(0)[0], 1.0f);
  EXPECT_TRUE(identical(model.traceInput(trace->layerInput(0))->layer(0)->output, before));
}

}  // namespace
}  // namespace maxstate
