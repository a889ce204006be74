// The layer against PyTorch (tests/reference/make_layer_golden.py), and the step run against the parallel
// run.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "golden.h"
#include "maxstate/error.h"
#include "maxstate/layer.h"
#include "maxstate/npy.h"

namespace maxstate {
namespace {

struct Case {
  std::string name;
  nlohmann::json meta;
  LayerWeights weights;
  FloatArray x;
};

Case loadCase(const std::string& name) {
  const std::string dir = test::goldenDir("layer") + "/" + name;
  Case c;
  c.name = name;
  c.meta = test::readJson(dir + "/meta.json");
  c.weights.variant = c.meta["variant"] == "seed" ? Variant::Seed : Variant::OpenAsh;
  c.weights.heads = c.meta["heads"];
  c.weights.combined = readNpyFloat(dir + "/combined.npy");
  c.weights.alpha1 = c.meta["alpha1"];
  c.weights.alpha2 = c.meta["alpha2"];
  c.weights.alpha3 = c.meta["alpha3"];
  if (c.meta.contains("alpha4")) c.weights.alpha4 = c.meta["alpha4"];
  if (c.weights.variant == Variant::OpenAsh) c.weights.headLinear = readNpyFloat(dir + "/head_linear.npy");
  c.x = readNpyFloat(dir + "/x.npy");
  return c;
}

class LayerGolden : public ::testing::TestWithParam<std::string> {};

std::vector<std::string> cases() {
  auto names = test::goldenCases("layer");
  if (names.empty()) names.push_back("<missing>");
  return names;
}

#define SKIP_IF_NO_GOLDEN(name) \
  if (name == "<missing>")      \
  GTEST_SKIP() << "no golden data: run the test suite through ctest (needs python3-torch)"

TEST_P(LayerGolden, ParallelMatchesPyTorch) {
  SKIP_IF_NO_GOLDEN(GetParam());
  const Case c = loadCase(GetParam());
  const std::string dir = test::goldenDir("layer") + "/" + c.name;
  Layer layer(c.weights);
  const LayerRecord r = layer.runParallel(c.x);
  // The state is a selection from the projection, so it must be exactly PyTorch's.
  EXPECT_TRUE(test::identical(r.state, readNpyFloat(dir + "/state.npy")));
  EXPECT_TRUE(test::identical(r.source, readNpyIndex(dir + "/source.npy")));
  const FloatArray terms = readNpyFloat(dir + "/terms.npy");
  ASSERT_EQ(r.terms.dim(0), termCount(c.weights.variant));
  EXPECT_TRUE(test::closeRelative(r.terms, terms, 1e-5));
  EXPECT_TRUE(test::closeRelative(r.output, readNpyFloat(dir + "/output.npy"), 1e-5));
}

TEST_P(LayerGolden, TermsSumToTheOutput) {
  SKIP_IF_NO_GOLDEN(GetParam());
  const Case c = loadCase(GetParam());
  Layer layer(c.weights);
  const LayerRecord r = layer.runParallel(c.x);
  const int64_t T = r.terms.dim(0), S = r.terms.dim(1), H = r.terms.dim(2), dh = r.terms.dim(3);
  FloatArray sum({S, H * dh});
  for (int64_t s = 0; s < S; ++s)
    for (int64_t h = 0; h < H; ++h)
      for (int64_t j = 0; j < dh; ++j) {
        float acc = 0;
        for (int64_t t = 0; t < T; ++t) acc += r.terms.at({t, s, h, j});
        sum.at({s, j * H + h}) = acc;  // the module's channel order: j * H + h
      }
  const std::string dir = test::goldenDir("layer") + "/" + c.name;
  EXPECT_TRUE(test::closeRelative(sum, readNpyFloat(dir + "/output.npy"), 1e-5));
}

// Runs the layer over x in chunks of the given sizes (cycled) and concatenates the records.
LayerRecord runSteps(const Layer& layer, const FloatArray& x, const std::vector<int64_t>& chunks) {
  const int64_t S = x.dim(0), d = x.dim(1), H = layer.heads(), dh = layer.headDim();
  const int64_t T = termCount(layer.variant());
  LayerRecord all;
  all.state = FloatArray({S, H, dh});
  all.source = IndexArray({S, H, dh});
  all.terms = FloatArray({T, S, H, dh});
  all.output = FloatArray({S, d});
  LayerStepper stepper(layer);
  size_t k = 0;
  for (int64_t pos = 0; pos < S;) {
    const int64_t n = std::min(chunks[k++ % chunks.size()], S - pos);
    FloatArray chunk({n, d});
    std::copy(x.data() + pos * d, x.data() + (pos + n) * d, chunk.data());
    const LayerRecord r = stepper.step(chunk);
    EXPECT_EQ(r.begin, pos);
    EXPECT_EQ(stepper.position(), pos + n);
    std::copy(r.state.data(), r.state.data() + r.state.size(), all.state.data() + pos * H * dh);
    std::copy(r.source.data(), r.source.data() + r.source.size(), all.source.data() + pos * H * dh);
    std::copy(r.output.data(), r.output.data() + r.output.size(), all.output.data() + pos * d);
    for (int64_t t = 0; t < T; ++t)
      std::copy(&r.terms.at({t, 0, 0, 0}), &r.terms.at({t, 0, 0, 0}) + n * H * dh,
                &all.terms.at({t, pos, 0, 0}));
    pos += n;
  }
  return all;
}

TEST_P(LayerGolden, StepMatchesParallel) {
  SKIP_IF_NO_GOLDEN(GetParam());
  const Case c = loadCase(GetParam());
  Layer layer(c.weights);
  const LayerRecord par = layer.runParallel(c.x);
  const int64_t S = c.x.dim(0);
  const std::vector<std::vector<int64_t>> schedules = {{1}, {7}, {3, 1, 16, 2}, {S}};
  for (const auto& schedule : schedules) {
    SCOPED_TRACE("chunk schedule starting with " + std::to_string(schedule[0]));
    const LayerRecord step = runSteps(layer, c.x, schedule);
    if (c.meta["integer"]) {
      // Integer-valued inputs and weights: projections are exact whatever the BLAS blocking, so the state
      // logic (carry, ties to the latest position across chunk boundaries) must give identical results.
      EXPECT_TRUE(test::identical(step.state, par.state));
      EXPECT_TRUE(test::identical(step.source, par.source));
      EXPECT_TRUE(test::identical(step.output, par.output));
    } else {
      // BLAS rounds a 1-row product differently from a 2048-row one (see README, "Step and parallel runs"):
      // states may differ by the projection's rounding, and a source only where two candidates were that
      // close.
      EXPECT_TRUE(test::closeRelative(step.state, par.state, 1e-5));
      int64_t differing = 0;
      for (int64_t i = 0; i < par.source.size(); ++i) {
        if (step.source[i] == par.source[i]) continue;
        ++differing;
        EXPECT_NEAR(step.state[i], par.state[i], 1e-5 * std::max(1.0f, std::abs(par.state[i])));
      }
      EXPECT_LE(differing, par.source.size() / 1000 + 1);
      EXPECT_TRUE(test::closeRelative(step.terms, par.terms, 1e-5));
      EXPECT_TRUE(test::closeRelative(step.output, par.output, 1e-5));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, LayerGolden, ::testing::ValuesIn(cases()), [](const auto& info) {
  return info.param == "<missing>" ? std::string("missing") : info.param;
});

TEST(Layer, CarriedStateIsTheLastPositionOfTheRun) {
  LayerWeights w;
  w.variant = Variant::Seed;
  w.heads = 2;
  w.combined = FloatArray({16, 4});
  for (int64_t i = 0; i < w.combined.size(); ++i) w.combined[i] = std::sin(float(i));
  FloatArray x({5, 4});
  for (int64_t i = 0; i < x.size(); ++i) x[i] = std::cos(float(3 * i));
  Layer layer(w);
  LayerStepper stepper(layer);
  EXPECT_TRUE(stepper.state().empty());
  const LayerRecord r = stepper.step(x);
  const FloatArray st = stepper.state();
  const IndexArray src = stepper.source();
  ASSERT_EQ(st.shape(), (Shape{2, 2}));
  for (int64_t h = 0; h < 2; ++h)
    for (int64_t j = 0; j < 2; ++j) {
      EXPECT_EQ(st.at({h, j}), r.state.at({4, h, j}));
      EXPECT_EQ(src.at({h, j}), r.source.at({4, h, j}));
    }
}

TEST(Layer, RejectsContradictoryShapesWithAClearMessage) {
  LayerWeights w;
  w.variant = Variant::OpenAsh;
  w.heads = 4;
  w.combined = FloatArray({32, 8});
  w.headLinear = FloatArray({4, 19});
  try {
    Layer layer(w);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Shape);
    EXPECT_NE(std::string(e.what()).find("head_linear.weight has shape [4, 19], expected [4, 20]"),
              std::string::npos)
        << e.what();
  }
  w.headLinear = FloatArray({3, 15});
  w.heads = 3;  // 8 is not divisible by 3
  EXPECT_THROW(Layer{w}, Error);
  LayerWeights seed;
  seed.variant = Variant::Seed;
  seed.combined = FloatArray({32, 8});
  try {
    Layer layer(seed);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("--heads"), std::string::npos) << e.what();
  }
}

TEST(Layer, RejectsInputOfTheWrongWidth) {
  LayerWeights w;
  w.variant = Variant::Seed;
  w.heads = 2;
  w.combined = FloatArray({16, 4});
  Layer layer(w);
  EXPECT_THROW(layer.runParallel(FloatArray({3, 5})), Error);
  EXPECT_THROW(layer.runParallel(FloatArray({0, 4})), Error);
}

}  // namespace
}  // namespace maxstate
