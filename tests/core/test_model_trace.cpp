// Trace behaviour that needs no reference numbers: append, progress and cancellation, the bounded record
// cache, concurrent readers, and clear errors for bad ids and misuse.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "golden.h"
#include "maxstate/error.h"
#include "maxstate/trace.h"
#include "model_case.h"

namespace maxstate {
namespace {

using test::closeRelative;
using test::identical;

constexpr int64_t kVocab = 41, kDim = 16, kHeads = 4;
constexpr int kLayers = 3;

Model smallModel(Variant variant = Variant::OpenAsh, uint32_t seed = 1) {
  return Model(test::randomModel(variant, kVocab, kDim, kHeads, kLayers, seed));
}

std::vector<int64_t> part(const std::vector<int64_t>& ids, size_t begin, size_t end) {
  return {ids.begin() + static_cast<std::ptrdiff_t>(begin), ids.begin() + static_cast<std::ptrdiff_t>(end)};
}

template <class F>
ErrorKind errorKindOf(F&& f, std::string* message = nullptr) {
  try {
    f();
  } catch (const Error& e) {
    if (message) *message = e.what();
    return e.kind();
  }
  ADD_FAILURE() << "expected an Error";
  return ErrorKind::Internal;
}

void expectSamePredictions(const Trace& a, const Trace& b) {
  ASSERT_EQ(a.length(), b.length());
  for (int64_t pos = 0; pos < a.length(); ++pos) {
    const auto pa = a.predictions(pos), pb = b.predictions(pos);
    ASSERT_EQ(pa.size(), pb.size());
    for (size_t k = 0; k < pa.size(); ++k) {
      EXPECT_EQ(pa[k].token, pb[k].token) << "position " << pos << " rank " << k;
      EXPECT_EQ(pa[k].probability, pb[k].probability) << "position " << pos << " rank " << k;
    }
  }
}

TEST(ModelTrace, InfoIsReadOffTheWeights) {
  const Model model = smallModel(Variant::Seed);
  EXPECT_EQ(model.info().kind, ModelKind::Model);
  EXPECT_EQ(model.info().variant, Variant::Seed);
  EXPECT_EQ(model.info().hidden, kDim);
  EXPECT_EQ(model.info().heads, kHeads);
  EXPECT_EQ(model.info().layers, kLayers);
  EXPECT_EQ(model.info().vocabSize, kVocab);
  // em + head + per layer: combined, 4 alphas, 3 FFN linears with bias, LayerNorm, residual alpha
  EXPECT_EQ(model.info().parameters,
            2 * kVocab * kDim + kLayers * (4 * kDim * kDim + 4 + 3 * (kDim * kDim + kDim) + 2 * kDim + 1));
}

TEST(ModelTrace, StepAppendsEqualOneStepRun) {
  const Model model = smallModel();
  const auto ids = test::randomIds(57, kVocab);
  TraceOptions step;
  step.mode = RunMode::Step;
  const auto whole = model.trace(ids, step);
  auto grown = model.append(*model.trace(part(ids, 0, 20), step), part(ids, 20, 35));
  for (size_t i = 35; i < ids.size(); ++i) grown = model.append(*grown, {ids[i]});  // one token at a time
  ASSERT_EQ(grown->length(), whole->length());
  EXPECT_EQ(grown->tokens(), ids);
  // The same operations on the same numbers: identical, not merely close.
  for (int l = 0; l < kLayers; ++l) {
    SCOPED_TRACE("layer " + std::to_string(l));
    EXPECT_TRUE(identical(grown->layerInput(l), whole->layerInput(l)));
    EXPECT_TRUE(identical(grown->stateNorm(l), whole->stateNorm(l)));
    EXPECT_TRUE(identical(grown->layer(l)->state, whole->layer(l)->state));
    EXPECT_TRUE(identical(grown->layer(l)->source, whole->layer(l)->source));
  }
  EXPECT_TRUE(identical(grown->logits(0, grown->length()), whole->logits(0, whole->length())));
  expectSamePredictions(*grown, *whole);
}

TEST(ModelTrace, ParallelAppendEqualsOneLongerRunUpToRounding) {
  const Model model = smallModel(Variant::Seed);
  const auto ids = test::randomIds(64, kVocab, 7);
  const auto whole = model.trace(ids);
  const auto first = model.trace(part(ids, 0, 40));
  const auto grown = model.append(*first, part(ids, 40, 64));
  ASSERT_EQ(grown->length(), 64);
  for (int l = 0; l < kLayers; ++l) {
    SCOPED_TRACE("layer " + std::to_string(l));
    EXPECT_TRUE(closeRelative(grown->layerInput(l), whole->layerInput(l), 1e-5));
    EXPECT_TRUE(closeRelative(grown->stateNorm(l), whole->stateNorm(l), 1e-5));
    EXPECT_TRUE(closeRelative(grown->layer(l)->state, whole->layer(l)->state, 1e-5));
    EXPECT_TRUE(closeRelative(grown->layer(l)->output, whole->layer(l)->output, 1e-5));
  }
  EXPECT_TRUE(closeRelative(grown->logits(0, 64), whole->logits(0, 64), 1e-5));
  // The first 40 positions were computed by the same parallel run in both: identical.
  EXPECT_TRUE(identical(grown->logits(0, 40), first->logits(0, 40)));
}

TEST(ModelTrace, AppendLeavesTheOldTraceAsItWas) {
  const Model model = smallModel();
  const auto ids = test::randomIds(30, kVocab, 3);
  const auto old = model.trace(part(ids, 0, 20));
  const FloatArray input = old->layerInput(1).clone();
  const FloatArray logits = old->logits(0, 20).clone();
  const auto grown = model.append(*old, part(ids, 20, 30));
  EXPECT_EQ(grown->length(), 30);
  EXPECT_EQ(old->length(), 20);
  EXPECT_EQ(old->tokens(), part(ids, 0, 20));
  EXPECT_TRUE(identical(old->layerInput(1), input));
  EXPECT_TRUE(identical(old->logits(0, 20), logits));
  // Appending to the old trace again starts from the same carried state.
  const auto again = model.append(*old, part(ids, 20, 30));
  EXPECT_TRUE(identical(again->logits(0, 30), grown->logits(0, 30)));
}

TEST(ModelTrace, AppendRefusesATraceOfAnotherModel) {
  const Model a = smallModel(Variant::OpenAsh, 1), b = smallModel(Variant::OpenAsh, 2);
  const auto trace = a.trace({1, 2, 3});
  std::string message;
  EXPECT_EQ(errorKindOf([&] { b.append(*trace, {4}); }, &message), ErrorKind::Usage);
  EXPECT_NE(message.find("different model"), std::string::npos) << message;
}

TEST(ModelTrace, TraceOutlivesItsModel) {
  std::shared_ptr<const Trace> trace;
  FloatArray expected;
  {
    const Model model = smallModel();
    trace = model.trace({5, 6, 7, 8});
    expected = trace->logits(0, 4).clone();
  }
  EXPECT_TRUE(identical(trace->logits(0, 4), expected));
  EXPECT_EQ(trace->layer(2)->state.dim(0), 4);
}

TEST(ModelTrace, ProgressCountsEveryUnitOfWork) {
  const Model model = smallModel();
  const auto ids = test::randomIds(25, kVocab);
  for (RunMode mode : {RunMode::Parallel, RunMode::Step}) {
    std::vector<std::pair<int64_t, int64_t>> reports;
    Progress progress;
    progress.report = [&](int64_t done, int64_t total) { reports.emplace_back(done, total); };
    TraceOptions options;
    options.mode = mode;
    model.trace(ids, options, progress);
    // Parallel: one unit per layer plus one per chunk of head rows; step: one per token.
    const int64_t total = mode == RunMode::Step ? 25 : kLayers + 1;
    ASSERT_EQ(static_cast<int64_t>(reports.size()), total);
    for (size_t i = 0; i < reports.size(); ++i) {
      EXPECT_EQ(reports[i].first, static_cast<int64_t>(i) + 1);
      EXPECT_EQ(reports[i].second, total);
    }
  }
}

TEST(ModelTrace, CancellationStopsTheRunWithCancelled) {
  const Model model = smallModel();
  const auto ids = test::randomIds(40, kVocab);
  for (RunMode mode : {RunMode::Parallel, RunMode::Step}) {
    std::atomic<bool> cancel{false};
    int64_t reports = 0;
    Progress progress;
    progress.cancel = &cancel;
    progress.report = [&](int64_t done, int64_t) {
      ++reports;
      if (done == 2) cancel = true;  // the user presses Cancel during the run
    };
    TraceOptions options;
    options.mode = mode;
    EXPECT_EQ(errorKindOf([&] { model.trace(ids, options, progress); }), ErrorKind::Cancelled);
    EXPECT_EQ(reports, 2) << "work went on after the cancel";
  }
  // Cancelled before it starts: nothing runs. Appends and bare layers honour it too.
  std::atomic<bool> cancelled{true};
  Progress progress;
  progress.cancel = &cancelled;
  EXPECT_EQ(errorKindOf([&] { model.trace(ids, {}, progress); }), ErrorKind::Cancelled);
  const auto trace = model.trace(ids);
  EXPECT_EQ(errorKindOf([&] { model.append(*trace, {1, 2}, progress); }), ErrorKind::Cancelled);
}

TEST(ModelTrace, RecordCacheKeepsRecentLayersWithinItsBudget) {
  const Model model = smallModel();
  const auto ids = test::randomIds(33, kVocab);
  const auto reference = model.trace(ids);
  std::vector<std::shared_ptr<const LayerRecord>> records;
  for (int l = 0; l < kLayers; ++l) records.push_back(reference->layer(l));
  // A record: state, terms, output (float) and source (int64).
  const int64_t bytes = (33 * kDim * (1 + 6 + 1)) * 4 + 33 * kDim * 8;

  TraceOptions two;
  two.recordCacheBytes = 2 * bytes;
  const auto trace = model.trace(ids, two);
  EXPECT_TRUE(trace->cachedLayers().empty()) << "records are computed on demand only";
  const auto r0 = trace->layer(0);
  EXPECT_EQ(trace->layer(0), r0) << "a cached record is handed out again";
  trace->layer(1);
  trace->layer(2);
  EXPECT_EQ(trace->cachedLayers(), (std::vector<int>{1, 2}));
  trace->layer(1);
  EXPECT_EQ(trace->cachedLayers(), (std::vector<int>{2, 1}));
  const auto again = trace->layer(0);  // evicted, so recomputed from the stored input: the same numbers
  EXPECT_NE(again, r0);
  EXPECT_EQ(trace->cachedLayers(), (std::vector<int>{1, 0}));
  EXPECT_TRUE(identical(again->state, r0->state));
  EXPECT_TRUE(identical(again->source, r0->source));
  EXPECT_TRUE(identical(again->terms, r0->terms));
  EXPECT_TRUE(identical(again->output, records[0]->output));

  TraceOptions tiny;
  tiny.recordCacheBytes = 1;  // below one record: the most recent one is still kept
  const auto small = model.trace(ids, tiny);
  small->layer(2);
  small->layer(0);
  EXPECT_EQ(small->cachedLayers(), (std::vector<int>{0}));
}

TEST(ModelTrace, ConcurrentReadersGetTheSameNumbers) {
  const Model model = smallModel(Variant::Seed);
  const auto ids = test::randomIds(48, kVocab);
  const auto serial = model.trace(ids);
  std::vector<std::shared_ptr<const LayerRecord>> want;
  for (int l = 0; l < kLayers; ++l) want.push_back(serial->layer(l));
  TraceOptions options;
  options.recordCacheBytes = 1;  // forces recomputation while other threads read
  const auto shared = model.trace(ids, options);
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 12; ++i) {
        const int l = (i + t) % kLayers;
        const auto r = shared->layer(l);
        if (!identical(r->state, want[l]->state) || !identical(r->terms, want[l]->terms)) ++mismatches;
        if (shared->predictions(i).empty() || shared->logitLens(i).size() != kLayers) ++mismatches;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches, 0);
}

TEST(ModelTrace, LogitLensOfTheLastLayerIsThePrediction) {
  const Model model = smallModel();
  TraceOptions options;
  options.topK = 4;
  const auto trace = model.trace(test::randomIds(9, kVocab), options);
  for (int64_t pos = 0; pos < 9; ++pos) {
    const auto lens = trace->logitLens(pos);
    const auto top = trace->predictions(pos);
    ASSERT_EQ(lens.size(), size_t{kLayers});
    ASSERT_EQ(top.size(), size_t{4});
    for (size_t k = 0; k < top.size(); ++k) {
      EXPECT_EQ(lens.back()[k].token, top[k].token);
      EXPECT_NEAR(lens.back()[k].probability, top[k].probability, 1e-6);
      if (k) EXPECT_GE(top[k - 1].probability, top[k].probability);
    }
  }
  options.logitLens = false;
  EXPECT_EQ(errorKindOf([&] { model.trace({1, 2}, options)->logitLens(0); }), ErrorKind::Usage);
}

TEST(ModelTrace, BadTokenIdsGiveAClearError) {
  const Model model = smallModel();
  std::string message;
  EXPECT_EQ(errorKindOf([&] { model.trace({3, 4, kVocab, 5}); }, &message), ErrorKind::Usage);
  EXPECT_NE(message.find("token id 41 at position 2 is outside the model's vocabulary (ids 0..40)"),
            std::string::npos)
      << message;
  EXPECT_EQ(errorKindOf([&] { model.trace({-1}); }, &message), ErrorKind::Usage);
  EXPECT_NE(message.find("token id -1 at position 0"), std::string::npos) << message;
  EXPECT_EQ(errorKindOf([&] { model.trace({}); }, &message), ErrorKind::Usage);
  EXPECT_NE(message.find("empty"), std::string::npos) << message;
  const auto trace = model.trace({1, 2});
  EXPECT_EQ(errorKindOf([&] { model.append(*trace, {1000}); }, &message), ErrorKind::Usage);
  EXPECT_NE(message.find("token id 1000 at position 0"), std::string::npos) << message;
}

TEST(ModelTrace, MisuseGivesUsageErrors) {
  const Model model = smallModel();
  const auto trace = model.trace({1, 2, 3});
  EXPECT_EQ(errorKindOf([&] { trace->layer(kLayers); }), ErrorKind::Usage);
  EXPECT_EQ(errorKindOf([&] { trace->layerInput(-1); }), ErrorKind::Usage);
  EXPECT_EQ(errorKindOf([&] { trace->predictions(3); }), ErrorKind::Usage);
  EXPECT_EQ(errorKindOf([&] { trace->logitLens(-1); }), ErrorKind::Usage);
  EXPECT_EQ(errorKindOf([&] { trace->logits(2, 4); }), ErrorKind::Usage);
  EXPECT_EQ(errorKindOf([&] { trace->logits(2, 2); }), ErrorKind::Usage);
  EXPECT_EQ(errorKindOf([&] { model.traceInput(FloatArray({3, kDim})); }), ErrorKind::Usage);
  TraceOptions none;
  none.topK = 0;
  EXPECT_EQ(errorKindOf([&] { model.trace({1}, none); }), ErrorKind::Usage);
  TraceOptions many;
  many.topK = 1000;  // more than the vocabulary: every token, ranked
  EXPECT_EQ(model.trace({1}, many)->predictions(0).size(), size_t{kVocab});
}

TEST(ModelTrace, ContradictoryShapesNameTheKey) {
  std::string message;
  ModelWeights w = test::randomModel(Variant::OpenAsh, kVocab, kDim, kHeads, kLayers);
  w.layers[1].ffn1Bias = FloatArray({kDim - 1});
  EXPECT_EQ(errorKindOf([&] { Model{w}; }, &message), ErrorKind::Shape);
  EXPECT_NE(message.find("decoder_layers.1.ffn.ffn1.bias has shape [15], expected [16]"), std::string::npos)
      << message;
  w = test::randomModel(Variant::OpenAsh, kVocab, kDim, kHeads, kLayers);
  w.headScore = FloatArray({kVocab + 1, kDim});
  EXPECT_EQ(errorKindOf([&] { Model{w}; }, &message), ErrorKind::Shape);
  EXPECT_NE(message.find("head_score.weight has shape [42, 16], expected [41, 16]"), std::string::npos)
      << message;
  w = test::randomModel(Variant::OpenAsh, kVocab, kDim, kHeads, kLayers);
  w.layers[2].attention.combined = FloatArray({4 * 8, 8});
  EXPECT_EQ(errorKindOf([&] { Model{w}; }, &message), ErrorKind::Shape);
  EXPECT_NE(message.find("decoder_layers.2.self_attention_linear.combined.weight has shape [32, 8]"),
            std::string::npos)
      << message;
  w = test::randomModel(Variant::OpenAsh, kVocab, kDim, kHeads, kLayers);
  w.layers[0].attention.headLinear = FloatArray({kHeads, 4 * kHeads});
  EXPECT_EQ(errorKindOf([&] { Model{w}; }, &message), ErrorKind::Shape);
  EXPECT_NE(message.find("decoder_layers.0.self_attention_linear.head_linear.weight has shape [4, 16]"),
            std::string::npos)
      << message;
  w.layers.clear();
  EXPECT_EQ(errorKindOf([&] { Model{w}; }), ErrorKind::Shape);
}

}  // namespace
}  // namespace maxstate
