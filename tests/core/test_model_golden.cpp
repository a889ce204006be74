// Whole models of both variants (fp32, fp16 and bf16 weights) against PyTorch:
// tests/reference/make_model_golden.py.
#include <gtest/gtest.h>

#include <cmath>

#include "golden.h"
#include "maxstate/npy.h"
#include "maxstate/trace.h"
#include "model_case.h"

namespace maxstate {
namespace {

using test::closeRelative;
using test::identical;

class ModelGolden : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "<missing>")
      GTEST_SKIP() << "no golden data: run the suite through ctest (needs python3-torch)";
    c = test::loadModelCase(GetParam());
  }
  FloatArray golden(const std::string& file) const { return readNpyFloat(c.dir + "/" + file + ".npy"); }
  IndexArray goldenIndex(const std::string& file) const { return readNpyIndex(c.dir + "/" + file + ".npy"); }
  test::ModelCase c;
};

// Rows of a [S, d] array, or of the slice [l] of an [L, S, d] array.
FloatArray slice(const FloatArray& a, int64_t l) {
  FloatArray out({a.dim(1), a.dim(2)});
  std::copy(a.data() + l * out.size(), a.data() + (l + 1) * out.size(), out.data());
  return out;
}

// Top-k predictions against PyTorch's softmax().topk(): probabilities within 1e-5 of the top probability, and
// the same ids except where two candidates' probabilities are that close (their order is then rounding).
void expectPredictions(const std::vector<Prediction>& got, const IndexArray& ids, const FloatArray& probs,
                       int64_t row, const std::string& where) {
  const int64_t k = ids.dim(-1);
  ASSERT_EQ(static_cast<int64_t>(got.size()), k) << where;
  const double tol = 1e-5 * probs[row * k];
  for (int64_t i = 0; i < k; ++i) {
    const float want = probs[row * k + i];
    EXPECT_LE(std::abs(got[i].probability - want), tol) << where << " rank " << i;
    if (got[i].token != ids[row * k + i]) {
      bool nearTie = false;
      for (int64_t j = 0; j < k; ++j)
        if (ids[row * k + j] == got[i].token && std::abs(probs[row * k + j] - want) <= tol) nearTie = true;
      EXPECT_TRUE(nearTie || i == k - 1)
          << where << " rank " << i << ": token " << got[i].token << " vs " << ids[row * k + i];
    }
  }
}

TEST_P(ModelGolden, ParallelTraceMatchesPyTorch) {
  Model model(c.weights);
  TraceOptions options;
  options.topK = c.meta["top_k"];
  const auto trace = model.trace(c.ids, options);
  ASSERT_EQ(trace->length(), static_cast<int64_t>(c.ids.size()));
  ASSERT_EQ(trace->layerCount(), c.meta["layers"].get<int>());
  EXPECT_EQ(trace->tokens(), c.ids);
  for (int l = 0; l < trace->layerCount(); ++l) {
    SCOPED_TRACE("layer " + std::to_string(l));
    const std::string dir = "layer" + std::to_string(l) + "/";
    EXPECT_TRUE(closeRelative(trace->layerInput(l), golden(dir + "input"), 1e-5));
    const auto record = trace->layer(l);
    // The state is a selection from the projection of the layer input: exactly PyTorch's, layer after layer.
    EXPECT_TRUE(identical(record->state, golden(dir + "state")));
    EXPECT_TRUE(identical(record->source, goldenIndex(dir + "source")));
    EXPECT_TRUE(closeRelative(record->terms, golden(dir + "terms"), 1e-5));
    EXPECT_TRUE(closeRelative(record->output, golden(dir + "output"), 1e-5));
    EXPECT_TRUE(closeRelative(trace->stateNorm(l), golden(dir + "state_norm"), 1e-5));
  }
  EXPECT_TRUE(closeRelative(trace->logits(0, trace->length()), golden("logits"), 1e-5));
  const IndexArray topIds = goldenIndex("top_ids"), lensIds = goldenIndex("lens_ids");
  const FloatArray topProbs = golden("top_probs"), lensProbs = golden("lens_probs");
  const int L = trace->layerCount();
  for (int64_t pos = 0; pos < trace->length(); ++pos) {
    expectPredictions(trace->predictions(pos), topIds, topProbs, pos, "position " + std::to_string(pos));
    const auto lens = trace->logitLens(pos);
    ASSERT_EQ(static_cast<int>(lens.size()), L);
    for (int l = 0; l < L; ++l)
      expectPredictions(lens[l], lensIds, lensProbs, pos * L + l,
                        "lens layer " + std::to_string(l) + " position " + std::to_string(pos));
  }
}

TEST_P(ModelGolden, LogitsOfAnyRangeMatchPyTorch) {
  Model model(c.weights);
  const auto trace = model.trace(c.ids);
  const FloatArray all = golden("logits");
  const int64_t S = trace->length(), V = all.dim(1);
  const int64_t begin = S / 3, end = std::max(begin + 1, S - S / 4);
  FloatArray want({end - begin, V});
  std::copy(all.data() + begin * V, all.data() + end * V, want.data());
  EXPECT_TRUE(closeRelative(trace->logits(begin, end), want, 1e-5));
}

TEST_P(ModelGolden, StepTraceMatchesPyTorchStepRun) {
  Model model(c.weights);
  TraceOptions options;
  options.mode = RunMode::Step;
  options.topK = c.meta["top_k"];
  const auto trace = model.trace(c.ids, options);
  const FloatArray stepInputs = golden("step_inputs");
  for (int l = 0; l < trace->layerCount(); ++l) {
    SCOPED_TRACE("layer " + std::to_string(l));
    EXPECT_TRUE(closeRelative(trace->layerInput(l), slice(stepInputs, l), 1e-5));
  }
  EXPECT_TRUE(closeRelative(trace->logits(0, trace->length()), golden("step_logits"), 1e-5));
}

// Step and parallel projections round differently (~1e-7), and with repeated tokens many cells hold
// near-ties, so a source may differ -- but only where the running maximum rose by no more than that rounding
// between the two candidate positions, in both runs.
void expectSourcesAgreeUpToRounding(const LayerRecord& a, const LayerRecord& b) {
  const int64_t S = a.state.dim(0), cells = a.state.size() / S;
  int64_t differing = 0, bad = 0;
  for (int64_t s = 0; s < S; ++s)
    for (int64_t c = 0; c < cells; ++c) {
      const int64_t i = s * cells + c;
      if (a.source[i] == b.source[i]) continue;
      ++differing;
      const int64_t earlier = std::min(a.source[i], b.source[i]);
      ASSERT_TRUE(earlier >= 0 && std::max(a.source[i], b.source[i]) <= s) << "source out of range at " << i;
      for (const LayerRecord* r : {&a, &b}) {
        const float now = r->state[i], then = r->state[earlier * cells + c];
        if (std::abs(now - then) > 1e-5 * std::max(1.0f, std::abs(now))) ++bad;
      }
    }
  EXPECT_EQ(bad, 0) << "of " << differing << " differing sources";
}

TEST_P(ModelGolden, StepTraceEqualsParallelTrace) {
  Model model(c.weights);
  TraceOptions step;
  step.mode = RunMode::Step;
  const auto s = model.trace(c.ids, step);
  const auto p = model.trace(c.ids);
  for (int l = 0; l < p->layerCount(); ++l) {
    SCOPED_TRACE("layer " + std::to_string(l));
    EXPECT_TRUE(closeRelative(s->layerInput(l), p->layerInput(l), 1e-5));
    EXPECT_TRUE(closeRelative(s->stateNorm(l), p->stateNorm(l), 1e-5));
    const auto rs = s->layer(l), rp = p->layer(l);
    EXPECT_TRUE(closeRelative(rs->state, rp->state, 1e-5));
    EXPECT_TRUE(closeRelative(rs->terms, rp->terms, 1e-5));
    EXPECT_TRUE(closeRelative(rs->output, rp->output, 1e-5));
    expectSourcesAgreeUpToRounding(*rs, *rp);
  }
  EXPECT_TRUE(closeRelative(s->logits(0, s->length()), p->logits(0, p->length()), 1e-5));
}

INSTANTIATE_TEST_SUITE_P(Cases, ModelGolden, ::testing::ValuesIn(test::modelCaseNames()),
                         [](const auto& info) {
                           return info.param == "<missing>" ? std::string("missing") : info.param;
                         });

}  // namespace
}  // namespace maxstate
