// Long-context statistics (maxstate/stats.h): streamed in chunks against traces of the same runs (a parallel
// trace is one chunk, a step trace chunks of 1, appends chunks of their length) and against the SPEC's
// definitions computed here from the records' stateAt/sourceAt and the trace's logits. The values against
// PyTorch are checked end to end by tests/cli/check_stats.py.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "expect_error.h"
#include "golden.h"
#include "maxstate/architecture.h"
#include "maxstate/error.h"
#include "maxstate/stats.h"
#include "model_case.h"

namespace maxstate {
namespace {

using test::closeRelative;
using test::identical;

constexpr int64_t kVocab = 64, kDim = 16, kHeads = 4, kLength = 45;
constexpr int kLayers = 3;

Model smallModel(Variant variant = Variant::OpenAsh) {
  return Model(test::randomModel(variant, kVocab, kDim, kHeads, kLayers, 11));
}

// Distinct ids: a repeated token gives layer 0 exactly the same c twice, a tie that runs rounding their
// projections differently (chunks of other sizes) may break either way.
std::vector<int64_t> ids() {
  std::vector<int64_t> all(kVocab);
  for (int64_t i = 0; i < kVocab; ++i) all[size_t(i)] = (i * 29 + 11) % kVocab;  // 29 is prime to 64
  return {all.begin(), all.begin() + kLength};
}

LongContextStats streamed(const Model& model, int64_t chunk) {
  StatsOptions options;
  options.chunk = chunk;
  return streamStats(model, ids(), options);
}

void expectIdentical(const LongContextStats& a, const LongContextStats& b) {
  EXPECT_EQ(a.begin, b.begin);
  EXPECT_EQ(a.length, b.length);
  EXPECT_TRUE(identical(a.stateNorm, b.stateNorm)) << "state_norm";
  EXPECT_TRUE(identical(a.stateMax, b.stateMax)) << "state_max";
  EXPECT_TRUE(identical(a.writeRate, b.writeRate)) << "write_rate";
  EXPECT_TRUE(identical(a.sourceAge, b.sourceAge)) << "source_age";
}

// A trace of the same run as streamStats with chunks of `chunk`: the first chunk traced, the others appended
// (each append is one parallel chunk continuing from the carried states).
std::shared_ptr<const Trace> chunkedTrace(const Model& model, const std::vector<int64_t>& all,
                                          int64_t chunk) {
  auto part = [&](int64_t b) {
    return std::vector<int64_t>(all.begin() + b, all.begin() + std::min<int64_t>(b + chunk, all.size()));
  };
  auto trace = model.trace(part(0));
  for (int64_t b = chunk; b < static_cast<int64_t>(all.size()); b += chunk)
    trace = model.append(*trace, part(b));
  return trace;
}

// SPEC.md section 6, from the records' single values, in float64. `rel`: how far the records' states may be
// from the run the statistics come from (0: the same run).
void expectSpecValues(const Trace& trace, const LongContextStats& s, double rel = 0) {
  const int64_t H = trace.info().heads, dh = trace.info().hidden / H;
  ASSERT_EQ(s.stateNorm.shape(), (Shape{trace.layerCount(), trace.length(), H}));
  for (int l = 0; l < trace.layerCount(); ++l) {
    const auto r = trace.layer(l);
    for (int64_t t = 0; t < trace.length(); ++t) {
      for (int64_t h = 0; h < H; ++h) {
        double sq = 0, top = 0, age = 0, written = 0;
        for (int64_t j = 0; j < dh; ++j) {
          const double e = r->stateAt(t, h, j);
          const int64_t src = r->sourceAt(t, h, j);
          ASSERT_TRUE(src >= 0 && src <= t);
          sq += e * e;
          top = std::max(top, std::abs(e));
          written += src == t;
          age += double(t - src);
        }
        SCOPED_TRACE("layer " + std::to_string(l) + " position " + std::to_string(t) + " head " +
                     std::to_string(h));
        EXPECT_NEAR(s.stateNorm.at({l, t, h}), std::sqrt(sq), (1e-5 + rel) * std::sqrt(sq) + 1e-30);
        if (rel == 0)
          EXPECT_EQ(s.stateMax.at({l, t, h}), float(top));
        else
          EXPECT_NEAR(s.stateMax.at({l, t, h}), top, rel * top + 1e-30);
        EXPECT_EQ(s.writeRate.at({l, t, h}), float(written / double(dh)));
        EXPECT_EQ(s.sourceAge.at({l, t, h}), float(age / double(dh)));
      }
    }
  }
}

void expectNllOfLogits(const Trace& trace, const FloatArray& nll) {
  const int64_t S = trace.length();
  ASSERT_EQ(nll.shape(), (Shape{S - 1}));
  const FloatArray logits = trace.logits(0, S);
  const int64_t V = logits.dim(1);
  for (int64_t t = 0; t + 1 < S; ++t) {
    double top = -INFINITY, sum = 0;
    for (int64_t v = 0; v < V; ++v) top = std::max(top, double(logits.at({t, v})));
    for (int64_t v = 0; v < V; ++v) sum += std::exp(double(logits.at({t, v})) - top);
    const double expected = top + std::log(sum) - logits.at({t, trace.tokens()[size_t(t + 1)]});
    EXPECT_NEAR(nll[t], expected, 1e-5 * (1 + std::abs(expected))) << "position " << t;
  }
}

TEST(Stats, OneChunkIsTheParallelTraceAndMatchesTheSpec) {
  for (Variant variant : {Variant::OpenAsh, Variant::Seed}) {
    SCOPED_TRACE(variantName(variant));
    const Model model = smallModel(variant);
    const auto trace = model.trace(ids());
    const LongContextStats s = streamed(model, kLength);
    expectIdentical(s, statsOfTrace(*trace, 0, kLength));
    expectSpecValues(*trace, s);
    expectNllOfLogits(*trace, s.nll);
    // The first position wrote its whole state; some later ones keep older values.
    EXPECT_EQ(s.writeRate.at({0, 0, 0}), 1.f);
    EXPECT_EQ(s.sourceAge.at({0, 0, 0}), 0.f);
    float oldest = 0;
    for (int64_t i = 0; i < s.sourceAge.size(); ++i) oldest = std::max(oldest, s.sourceAge[i]);
    EXPECT_GT(oldest, 1.f);
  }
}

// A trace keeps the norms of the run itself (step or appended chunks); its records are recomputed in one
// parallel pass, which rounds the projections differently.
void expectRunOfTrace(const Trace& trace, const LongContextStats& s) {
  for (int l = 0; l < kLayers; ++l) {
    const FloatArray norms = trace.stateNorm(l);
    for (int64_t t = 0; t < kLength; ++t)
      for (int64_t h = 0; h < kHeads; ++h) ASSERT_EQ(s.stateNorm.at({l, t, h}), norms.at({t, h}));
  }
  expectSpecValues(trace, s, 1e-5);
  expectNllOfLogits(trace, s.nll);
}

TEST(Stats, ChunksOfOneAreTheStepTrace) {
  const Model model = smallModel();
  TraceOptions step;
  step.mode = RunMode::Step;
  expectRunOfTrace(*model.trace(ids(), step), streamed(model, 1));
}

TEST(Stats, ChunksOfSevenAreAppendedChunksWithGlobalSources) {
  const Model model = smallModel();
  const LongContextStats s = streamed(model, 7);
  expectRunOfTrace(*chunkedTrace(model, ids(), 7), s);
  // Sources are global: late positions hold values from earlier chunks.
  float oldest = 0;
  for (int64_t i = 0; i < s.sourceAge.size(); ++i) oldest = std::max(oldest, s.sourceAge[i]);
  EXPECT_GT(oldest, 7.f);
}

TEST(Stats, EveryChunkSizeGivesTheOnePassValues) {
  const Model model = smallModel();
  const LongContextStats one = streamed(model, kLength);
  for (int64_t chunk : {int64_t{1}, int64_t{7}, int64_t{16}, kLength + 5}) {
    SCOPED_TRACE("chunk " + std::to_string(chunk));
    const LongContextStats s = streamed(model, chunk);
    // Only the projections round differently; no running maximum here is that close to a tie.
    EXPECT_TRUE(closeRelative(s.stateNorm, one.stateNorm, 1e-5));
    EXPECT_TRUE(closeRelative(s.stateMax, one.stateMax, 1e-5));
    EXPECT_TRUE(identical(s.writeRate, one.writeRate));
    EXPECT_TRUE(identical(s.sourceAge, one.sourceAge));
    EXPECT_TRUE(closeRelative(s.nll, one.nll, 1e-5));
  }
}

TEST(Stats, ARangeOfATraceIsThatSliceOfTheWhole) {
  const Model model = smallModel();
  const auto trace = model.trace(ids());
  const LongContextStats all = statsOfTrace(*trace, 0, kLength), part = statsOfTrace(*trace, 10, kLength);
  ASSERT_EQ(part.stateMax.shape(), (Shape{kLayers, kLength - 10, kHeads}));
  EXPECT_EQ(part.begin, 10);
  for (int l = 0; l < kLayers; ++l)
    for (int64_t t = 10; t < kLength; ++t)
      for (int64_t h = 0; h < kHeads; ++h) {
        EXPECT_EQ(part.sourceAge.at({l, t - 10, h}), all.sourceAge.at({l, t, h}));
        EXPECT_EQ(part.stateNorm.at({l, t - 10, h}), all.stateNorm.at({l, t, h}));
      }
  ASSERT_EQ(part.nll.shape(), (Shape{kLength - 11}));  // the last position has no next token
  // The logits are computed for other rows at once: rounding.
  for (int64_t t = 10; t + 1 < kLength; ++t) EXPECT_NEAR(part.nll[t - 10], all.nll[t], 1e-5);
  EXPECT_EQ(statsOfTrace(*trace, kLength - 1, kLength).nll.size(), 0);
}

TEST(Stats, ABareLayerHasOneLayerOfStatisticsAndNoLoss) {
  ModelWeights w = test::randomModel(Variant::Seed, kVocab, kDim, kHeads, 1, 12);
  w.info.kind = ModelKind::Layer;
  w.embedding = {};
  w.headScore = {};
  const Model layer(w);
  FloatArray x({50, kDim});
  for (int64_t i = 0; i < x.size(); ++i) x[i] = float((i * 37) % 101) / 50.f - 1.f;
  const auto trace = layer.traceInput(x);
  StatsOptions options;
  options.chunk = 50;
  const LongContextStats one = streamInputStats(layer, x, options);
  EXPECT_EQ(one.stateNorm.shape(), (Shape{1, 50, kHeads}));
  EXPECT_TRUE(one.nll.empty());
  expectIdentical(one, statsOfTrace(*trace, 0, 50));
  expectSpecValues(*trace, one);
  options.chunk = 8;
  const LongContextStats chunked = streamInputStats(layer, x, options);
  EXPECT_TRUE(closeRelative(chunked.stateNorm, one.stateNorm, 1e-5));
  EXPECT_TRUE(identical(chunked.sourceAge, one.sourceAge));
  EXPECT_TRUE(identical(chunked.writeRate, one.writeRate));
}

TEST(Stats, ProgressCountsEveryChunkAndCancelStops) {
  const Model model = smallModel();
  int64_t last = 0, total = 0, reports = 0;
  Progress progress;
  progress.report = [&](int64_t done, int64_t all) {
    EXPECT_GT(done, last);
    last = done;
    total = all;
    ++reports;
  };
  StatsOptions options;
  options.chunk = 10;  // 5 chunks of 3 layers and one block of logits each
  streamStats(model, ids(), options, progress);
  EXPECT_EQ(total, 5 * (kLayers + 1));
  EXPECT_EQ(last, total);
  EXPECT_EQ(reports, total);
  std::atomic<bool> cancel{false};
  progress.report = [&](int64_t done, int64_t) { cancel = done >= 6; };
  progress.cancel = &cancel;
  expectError([&] { streamStats(model, ids(), options, progress); }, ErrorKind::Cancelled,
              "the trace was cancelled");
}

TEST(Stats, BadRequestsSayWhatIsWrong) {
  const Model model = smallModel();
  StatsOptions zero;
  zero.chunk = 0;
  expectError([&] { streamStats(model, ids(), zero); }, ErrorKind::Usage,
              "the chunk must be at least 1 position, got 0");
  expectError(
      [&] {
        streamStats(model, {1, kVocab, 2});
      },
      ErrorKind::Usage,
      "token id 64 at position 1 is outside the model's vocabulary (ids 0..63): check that the ids or "
      "the vocabulary file belong to this model");
  expectError([&] { streamStats(model, {}); }, ErrorKind::Usage,
              "nothing to run: the list of token ids is empty");
  expectError(
      [&] {
        streamInputStats(model, FloatArray({3, kDim}));
      },
      ErrorKind::Usage,
      "this is a whole model: run it on token ids (--ids, --ids-file or --text), not an input");
  const auto trace = model.trace(ids());
  expectError([&] { statsOfTrace(*trace, 5, 5); }, ErrorKind::Usage,
              "positions 5..5 are not a range of the trace's 0..45");
  expectError([&] { statsOfTrace(*trace, 0, kLength + 1); }, ErrorKind::Usage,
              "positions 0..46 are not a range of the trace's 0..45");
}

TEST(Stats, TheTrainingLengthComesFromTheSideFile) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(MAXSTATE_BINARY_DIR) / "test_stats_side";
  fs::create_directories(dir);
  const std::string checkpoint = (dir / "m.pth").string();
  auto side = [&](const std::string& text) { std::ofstream(checkpoint + ".json") << text; };
  fs::remove(checkpoint + ".json");
  EXPECT_EQ(readTrainLength(checkpoint), std::nullopt);
  side(R"({"heads": 4})");
  EXPECT_EQ(readTrainLength(checkpoint), std::nullopt);
  side(R"({"heads": 4, "train_length": 256})");
  EXPECT_EQ(readTrainLength(checkpoint), 256);
  // An OpenASH checkpoint needs no heads: a side file may hold only the training length.
  side(R"({"train_length": 300})");
  EXPECT_EQ(readTrainLength(checkpoint), 300);
  EXPECT_EQ(readHeadsSideFile(checkpoint), std::nullopt);
  side(R"({"train_length": "long"})");
  expectError([&] { readTrainLength(checkpoint); }, ErrorKind::BadFile,
              "side file " + checkpoint +
                  ".json has \"train_length\": \"long\", which is not a whole number of "
                  "tokens >= 1");
  side("{");
  EXPECT_THROW(readTrainLength(checkpoint), Error);
}

}  // namespace
}  // namespace maxstate
