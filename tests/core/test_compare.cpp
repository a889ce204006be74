// Comparing checkpoints (maxstate/compare.h) against the core's own separately made traces and the SPEC's
// definitions; the values against PyTorch are checked end to end by tests/cli/check_diff.py.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>

#include "golden.h"
#include "maxstate/compare.h"
#include "maxstate/error.h"
#include "model_case.h"

namespace maxstate {
namespace {

using test::identical;

constexpr int64_t kVocab = 41, kDim = 16, kHeads = 4;
constexpr int kLayers = 3;

Model smallModel(uint32_t seed, Variant variant = Variant::OpenAsh, int layers = kLayers) {
  return Model(test::randomModel(variant, kVocab, kDim, kHeads, layers, seed));
}

Model bareLayer(uint32_t seed) {
  ModelWeights w = test::randomModel(Variant::OpenAsh, kVocab, kDim, kHeads, 1, seed);
  w.info.kind = ModelKind::Layer;
  w.embedding = {};
  w.headScore = {};
  return Model(w);
}

FloatArray values(Shape shape, float scale, float shift = 0) {
  FloatArray a(std::move(shape));
  for (int64_t i = 0; i < a.size(); ++i) a[i] = scale * float((i * 37) % 23) / 11.f - 1.f + shift;
  return a;
}

Checkpoint checkpointOf(const std::vector<std::pair<std::string, FloatArray>>& tensors) {
  Checkpoint c;
  for (const auto& [name, a] : tensors) c.tensors[name] = CheckpointTensor(a);
  return c;
}

std::string shapeError(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Shape) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return {};
}

TEST(CompareParameters, IdenticalCheckpointsDidNotMoveAndAllZeroTensorsHaveNoRelativeChange) {
  const Checkpoint a =
      checkpointOf({{"w", values({4, 3}, 1)}, {"zero", FloatArray({5})}, {"b", values({3}, 2)}});
  const auto changes = compareParameters(a, a);
  ASSERT_EQ(changes.size(), 3u);
  // A's key order (the map's): b, w, zero.
  EXPECT_EQ(changes[0].name, "b");
  EXPECT_EQ(changes[1].name, "w");
  EXPECT_EQ(changes[1].shape, (Shape{4, 3}));
  ASSERT_TRUE(changes[0].relChange && changes[1].relChange);
  EXPECT_EQ(*changes[0].relChange, 0.0);
  EXPECT_EQ(*changes[1].relChange, 0.0);
  EXPECT_EQ(changes[2].name, "zero");
  EXPECT_FALSE(changes[2].relChange);
}

TEST(CompareParameters, RelativeChangeIsTheL2NormOfTheDifferenceOverAsNorm) {
  FloatArray a({2}), b({2});
  a[0] = 3, a[1] = 4, b[0] = 3, b[1] = 5;  // ||b - a|| = 1, ||a|| = 5
  FloatArray z({2});
  const auto changes =
      compareParameters(checkpointOf({{"v", a}, {"z", z}}), checkpointOf({{"v", b}, {"z", a}}));
  ASSERT_TRUE(changes[0].relChange);
  EXPECT_DOUBLE_EQ(*changes[0].relChange, 0.2);
  EXPECT_FALSE(changes[1].relChange);  // A all zeros: null even though B moved
}

TEST(CompareParameters, DifferentArchitecturesAreRefusedNamingTheFirstKeyOrShape) {
  const Checkpoint a = checkpointOf({{"a.weight", values({4, 3}, 1)}, {"b.weight", values({3}, 1)}});
  EXPECT_EQ(
      shapeError([&] {
        compareParameters(a, checkpointOf({{"a.weight", values({4, 2}, 1)}, {"b.weight", values({2}, 1)}}));
      }),
      "the checkpoints are not of one architecture: a.weight has shape [4, 3] in A, [4, 2] in B");
  EXPECT_EQ(shapeError([&] {
              compareParameters(a, checkpointOf({{"a.weight", values({4, 3}, 1)}}));
            }),
            "the checkpoints are not of one architecture: b.weight is in A but not in B");
  EXPECT_EQ(shapeError([&] {
              compareParameters(checkpointOf({{"a.weight", values({4, 3}, 1)}}), a);
            }),
            "the checkpoints are not of one architecture: b.weight is in B but not in A");
}

TEST(CompareRuns, IdenticalModelsAgreeEverywhere) {
  const Model a = smallModel(7), b = smallModel(7);
  const Comparison c = compareRuns(a, b, test::randomIds(90, kVocab), {});
  ASSERT_EQ(c.kl.size(), 90u);
  for (double kl : c.kl) EXPECT_EQ(kl, 0.0);
  EXPECT_EQ(c.top1A, c.top1B);
  EXPECT_EQ(c.top1Agree, 1.0);
  ASSERT_EQ(c.layers.size(), size_t(kLayers));
  for (int l = 0; l < kLayers; ++l) {
    EXPECT_EQ(c.layers[size_t(l)].layer, l);
    EXPECT_EQ(c.layers[size_t(l)].stateRelDiff, 0.0);
    EXPECT_EQ(c.layers[size_t(l)].sourceAgree, 1.0);
  }
}

// compareRuns compares the records as its runs make them; this is the same comparison from two traces made
// separately, whose records are recomputed.
TEST(CompareRuns, EqualsComparingTwoSeparatelyMadeTraces) {
  const Model a = smallModel(7), b = smallModel(8);
  const auto ids = test::randomIds(300, kVocab);
  std::vector<int> observed;
  const Comparison c =
      compareRuns(a, b, ids, {}, {}, {}, [&](int l, const LayerRecord& ra, const LayerRecord& rb) {
        observed.push_back(l);
        // The observer sees the full records: exactly what the traces give.
        const auto ta = a.trace(ids)->layer(l), tb = b.trace(ids)->layer(l);
        EXPECT_TRUE(identical(ra.state, ta->state));
        EXPECT_TRUE(identical(ra.source, ta->source));
        EXPECT_TRUE(identical(ra.terms, ta->terms));
        EXPECT_TRUE(identical(ra.output, ta->output));
        EXPECT_TRUE(identical(rb.state, tb->state));
        EXPECT_TRUE(identical(rb.source, tb->source));
      });
  EXPECT_EQ(observed, (std::vector<int>{0, 1, 2}));
  const Comparison s = compareTraces(a.trace(ids), b.trace(ids));
  ASSERT_EQ(c.kl.size(), s.kl.size());
  for (size_t t = 0; t < c.kl.size(); ++t) {
    EXPECT_NEAR(c.kl[t], s.kl[t], 1e-12 * std::max(1.0, s.kl[t])) << "position " << t;
    EXPECT_GT(c.kl[t], 0.0);
  }
  EXPECT_EQ(c.top1A, s.top1A);
  EXPECT_EQ(c.top1B, s.top1B);
  EXPECT_EQ(c.top1Agree, s.top1Agree);
  EXPECT_LT(c.top1Agree, 1.0);
  ASSERT_EQ(c.layers.size(), s.layers.size());
  for (size_t l = 0; l < c.layers.size(); ++l) {
    EXPECT_EQ(c.layers[l].stateRelDiff, s.layers[l].stateRelDiff);
    EXPECT_EQ(c.layers[l].sourceAgree, s.layers[l].sourceAgree);
    EXPECT_GT(c.layers[l].stateRelDiff, 0.0);
    EXPECT_LT(c.layers[l].sourceAgree, 1.0);
  }
  // The traces it returns are the traces Model::trace makes.
  const auto ta = a.trace(ids);
  EXPECT_TRUE(identical(c.a->logits(0, 300), ta->logits(0, 300)));
  EXPECT_TRUE(identical(c.a->stateNorm(2), ta->stateNorm(2)));
  EXPECT_TRUE(identical(c.b->layer(1)->terms, b.trace(ids)->layer(1)->terms));
  EXPECT_EQ(c.a->predictions(17).front().token, c.top1A[17]);
}

TEST(CompareRuns, KlIsThatOfTheNextTokenDistributions) {
  const Model a = smallModel(7), b = smallModel(9);
  const auto ids = test::randomIds(20, kVocab);
  const Comparison c = compareRuns(a, b, ids, {});
  const FloatArray la = c.a->logits(0, 20), lb = c.b->logits(0, 20);
  for (int64_t t = 0; t < 20; ++t) {
    double ma = -INFINITY, mb = -INFINITY, za = 0, zb = 0, kl = 0;
    for (int64_t v = 0; v < kVocab; ++v)
      ma = std::max(ma, double(la[t * kVocab + v])), mb = std::max(mb, double(lb[t * kVocab + v]));
    for (int64_t v = 0; v < kVocab; ++v)
      za += std::exp(la[t * kVocab + v] - ma), zb += std::exp(lb[t * kVocab + v] - mb);
    for (int64_t v = 0; v < kVocab; ++v) {
      const double pa = la[t * kVocab + v] - ma - std::log(za), pb = lb[t * kVocab + v] - mb - std::log(zb);
      kl += std::exp(pa) * (pa - pb);
    }
    EXPECT_NEAR(c.kl[size_t(t)], kl, 1e-12) << "position " << t;
  }
}

TEST(CompareRecords, StateDifferenceAndSourceSameGiveTheSameStatistics) {
  const Model a = smallModel(7), b = smallModel(8);
  const auto ids = test::randomIds(120, kVocab);
  const auto ta = a.trace(ids), tb = b.trace(ids);
  for (int l = 0; l < kLayers; ++l) {
    const auto ra = ta->layer(l), rb = tb->layer(l);
    const FloatArray diff = stateDifference(*ra, *rb);
    const std::vector<uint8_t> same = sourceSame(*ra, *rb);
    ASSERT_EQ(diff.shape(), ra->state.shape());
    ASSERT_EQ(int64_t(same.size()), ra->source.size());
    double d2 = 0, a2 = 0, agree = 0;
    for (int64_t i = 0; i < diff.size(); ++i) {
      EXPECT_EQ(diff[i], rb->state[i] - ra->state[i]);
      EXPECT_EQ(same[size_t(i)], ra->source[i] == rb->source[i] ? 1 : 0);
      d2 += double(diff[i]) * diff[i];
      a2 += double(ra->state[i]) * ra->state[i];
      agree += same[size_t(i)];
    }
    const LayerComparison c = compareRecords(l, *ra, *rb);
    EXPECT_EQ(c.layer, l);
    EXPECT_NEAR(c.stateRelDiff, std::sqrt(d2 / a2), 1e-6 * c.stateRelDiff);
    EXPECT_DOUBLE_EQ(c.sourceAgree, agree / double(same.size()));
  }
  // Records of different lengths are not comparable.
  const auto shorter = a.trace(std::vector<int64_t>(ids.begin(), ids.begin() + 50));
  EXPECT_NE(shapeError([&] { compareRecords(0, *ta->layer(0), *shorter->layer(0)); }).find("cannot compare"),
            std::string::npos);
}

TEST(CompareRuns, DifferentArchitecturesAreRefused) {
  const auto ids = test::randomIds(10, kVocab);
  EXPECT_EQ(shapeError([&] { compareRuns(smallModel(7), smallModel(8, Variant::OpenAsh, 2), ids, {}); }),
            "the models are not of one architecture: the number of layers is 3 in A, 2 in B");
  EXPECT_EQ(shapeError([&] { compareRuns(smallModel(7), smallModel(8, Variant::Seed), ids, {}); }),
            "the models are not of one architecture: the variant is openash in A, seed in B");
  EXPECT_EQ(shapeError([&] { compareRuns(smallModel(7), bareLayer(8), ids, {}); }),
            "the models are not of one architecture: the kind is model in A, layer in B");
}

TEST(CompareRuns, BareLayersCompareStatesAndSourcesOnTheirInput) {
  const Model a = bareLayer(12), b = bareLayer(13);
  FloatArray x({200, kDim});
  for (int64_t i = 0; i < x.size(); ++i) x[i] = float((i * 37) % 101) / 50.f - 1.f;
  const Comparison c = compareRuns(a, b, {}, x);
  EXPECT_TRUE(c.kl.empty());
  EXPECT_TRUE(c.top1A.empty());
  ASSERT_EQ(c.layers.size(), 1u);
  const LayerComparison s = compareRecords(0, *a.traceInput(x)->layer(0), *b.traceInput(x)->layer(0));
  EXPECT_EQ(c.layers[0].stateRelDiff, s.stateRelDiff);
  EXPECT_EQ(c.layers[0].sourceAgree, s.sourceAgree);
  EXPECT_GT(s.stateRelDiff, 0.0);
}

TEST(CompareRuns, StepRunsCompareAsTheirTraces) {
  const Model a = smallModel(7), b = smallModel(8);
  const auto ids = test::randomIds(40, kVocab);
  TraceOptions step;
  step.mode = RunMode::Step;
  const Comparison c = compareRuns(a, b, ids, {}, step);
  const Comparison p = compareRuns(a, b, ids, {});
  EXPECT_EQ(c.a->options().mode, RunMode::Step);
  for (size_t t = 0; t < c.kl.size(); ++t) EXPECT_NEAR(c.kl[t], p.kl[t], 1e-4 * std::max(1.0, p.kl[t]));
  for (size_t l = 0; l < c.layers.size(); ++l)
    EXPECT_NEAR(c.layers[l].stateRelDiff, p.layers[l].stateRelDiff, 1e-4 * p.layers[l].stateRelDiff);
}

TEST(CompareRuns, CancelStopsTheRunsAndBadInputIsRefused) {
  const Model a = smallModel(7), b = smallModel(8);
  std::atomic<bool> cancel{true};
  Progress progress;
  progress.cancel = &cancel;
  try {
    compareRuns(a, b, test::randomIds(10, kVocab), {}, {}, progress);
    ADD_FAILURE() << "not cancelled";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Cancelled);
  }
  int64_t last = 0, total = 0;
  progress.cancel = nullptr;
  progress.report = [&](int64_t done, int64_t all) { last = done, total = all; };
  compareRuns(a, b, test::randomIds(10, kVocab), {}, {}, progress);
  EXPECT_GT(total, 0);
  EXPECT_EQ(last, total);
  try {
    compareRuns(a, b, {3, kVocab}, {});
    ADD_FAILURE() << "an id outside the vocabulary was taken";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Usage);
    EXPECT_NE(std::string(e.what()).find("outside the model's vocabulary"), std::string::npos);
  }
}

}  // namespace
}  // namespace maxstate
