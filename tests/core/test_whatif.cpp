// What-if runs (maxstate/whatif.h) against the core's own full reruns and the SPEC's definitions; the values
// against PyTorch are checked end to end by tests/cli/check_whatif.py.
#include <gtest/gtest.h>

#include "golden.h"
#include "maxstate/error.h"
#include "maxstate/whatif.h"
#include "model_case.h"

namespace maxstate {
namespace {

using test::closeRelative;
using test::identical;

constexpr int64_t kVocab = 41, kDim = 16, kHeads = 4;
constexpr int kLayers = 3;

Model smallModel(Variant variant = Variant::OpenAsh) {
  return Model(test::randomModel(variant, kVocab, kDim, kHeads, kLayers, 7));
}

std::vector<Edit> parse(const std::vector<std::string>& specs) {
  std::vector<Edit> out;
  for (const auto& s : specs) out.push_back(parseEdit(s));
  return out;
}

std::string usageError(const Model& model, const std::shared_ptr<const Trace>& base,
                       const std::vector<std::string>& specs) {
  try {
    runWhatIf(model, base, parse(specs));
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Usage) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error for " << specs.front();
  return {};
}

// Runs that round their projections differently may disagree on a source only where the running maximum rose
// by no more than that rounding between the two candidate positions (as tests/cli/check_trace.py allows).
void expectSourcesAgreeUpToRounding(const LayerRecord& a, const LayerRecord& b, double rel) {
  ASSERT_EQ(a.source.shape(), b.source.shape());
  const int64_t stride = a.heads() * a.headDim();
  for (int64_t i = 0; i < a.source.size(); ++i) {
    const int64_t sa = a.source[i], sb = b.source[i];
    if (sa == sb) continue;
    const int64_t t = i / stride, cell = i % stride, earlier = std::min(sa, sb);
    ASSERT_TRUE(earlier >= 0 && std::max(sa, sb) <= t) << "source outside 0.." << t << " at flat index " << i;
    for (const LayerRecord* r : {&a, &b}) {
      const float now = r->state[i], then = r->state[earlier * stride + cell];
      EXPECT_LE(std::abs(now - then), rel * std::max(1.f, std::abs(now)))
          << "sources " << sa << " and " << sb << " at flat index " << i << " differ beyond rounding";
    }
  }
}

void expectSameRun(const Trace& a, const Trace& b, double rel) {
  ASSERT_EQ(a.length(), b.length());
  EXPECT_EQ(a.tokens(), b.tokens());
  for (int l = 0; l < a.layerCount(); ++l) {
    SCOPED_TRACE("layer " + std::to_string(l));
    const auto ra = a.layer(l), rb = b.layer(l);
    EXPECT_TRUE(closeRelative(a.layerInput(l), b.layerInput(l), rel));
    EXPECT_TRUE(closeRelative(ra->state, rb->state, rel));
    if (rel == 0) {
      EXPECT_TRUE(identical(ra->source, rb->source));
    } else {
      expectSourcesAgreeUpToRounding(*ra, *rb, rel);
    }
    EXPECT_TRUE(closeRelative(ra->terms, rb->terms, rel));
    EXPECT_TRUE(closeRelative(ra->output, rb->output, rel));
    EXPECT_TRUE(closeRelative(a.stateNorm(l), b.stateNorm(l), rel));
  }
  if (a.info().kind == ModelKind::Model) {
    EXPECT_TRUE(closeRelative(a.logits(0, a.length()), b.logits(0, b.length()), rel));
  }
}

TEST(WhatIfSpec, EveryFormRoundTrips) {
  for (const std::string spec :
       {"replace:3=17", "delete:0", "insert:5=2", "knockout:4", "knockout:4@1", "knockout:4@1.2",
        "zero-state:0.3@9", "freeze-state:2.1@1", "drop-term:1.0.T6@0", "drop-term:2.3.T1@12"}) {
    EXPECT_EQ(editSpec(parseEdit(spec)), spec);
  }
  EXPECT_EQ(editSpec(parseEdit("drop-term:1.2.T3")), "drop-term:1.2.T3@0");
  EXPECT_EQ(parseEdit("knockout:7@2").head, -1);
  EXPECT_TRUE(isTokenEdit(parseEdit("delete:1")));
  EXPECT_FALSE(isTokenEdit(parseEdit("knockout:1")));
}

TEST(WhatIfSpec, MalformedSpecsSayWhatIsWrong) {
  for (const std::string spec :
       {"", "replace", "replace:3", "replace:x=1", "replace:-1=2", "delete:1.5", "knockout:3@",
        "knockout:3@1.", "zero-state:1@3", "zero-state:1.2", "drop-term:1.2.6", "drop-term:1.2.T7",
        "drop-term:1.2.T0", "swap:1=2", "insert:+1=2", "delete:99999999999999999999"}) {
    try {
      parseEdit(spec);
      ADD_FAILURE() << "accepted '" << spec << "'";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::Usage);
      EXPECT_EQ(std::string(e.what()).rfind("--edit '" + spec + "': ", 0), 0u) << e.what();
    }
  }
}

// The suffix run after the kept states equals a full rerun of the edited sequence (up to projection
// rounding), for every kind of edit, before, at and after the positions where states are kept.
TEST(WhatIf, SuffixRunEqualsAFullRerun) {
  const Model model = smallModel();
  const auto ids = test::randomIds(600, kVocab, 3);
  for (const RunMode mode : {RunMode::Parallel, RunMode::Step}) {
    TraceOptions options;
    options.mode = mode;
    const auto base = model.trace(ids, options);
    for (const std::vector<std::string>& specs : {std::vector<std::string>{"replace:300=5"},
                                                  {"delete:256"},
                                                  {"insert:255=9"},
                                                  {"knockout:530"},
                                                  {"knockout:511@1"},
                                                  {"knockout:257@2.3"},
                                                  {"zero-state:1.2@400"},
                                                  {"freeze-state:0.1@513"},
                                                  {"drop-term:2.0.T6@100"},
                                                  {"drop-term:1.3.T2"},
                                                  {"knockout:520@0.1", "insert:300=4", "delete:599"}}) {
      SCOPED_TRACE(specs.front() + (mode == RunMode::Step ? " (step base)" : ""));
      const WhatIf suffix = runWhatIf(model, base, parse(specs));
      const WhatIf full = runWhatIf(model, base, parse(specs), {false});
      expectSameRun(*suffix.edited, *full.edited, 1e-5);
      EXPECT_EQ(suffix.firstAffected, full.firstAffected);
      EXPECT_EQ(suffix.top1Edited, full.top1Edited);
      EXPECT_EQ(suffix.top1Base, full.top1Base);
      ASSERT_EQ(suffix.kl.size(), full.kl.size());
      for (size_t t = 0; t < suffix.kl.size(); ++t) {
        ASSERT_EQ(suffix.kl[t].has_value(), full.kl[t].has_value()) << t;
        // The logits agree to 1e-5 of their magnitude (< 1 here): KL = sum p_b (log p_b - log p_e) moves
        // by at most about that much.
        if (suffix.kl[t]) {
          EXPECT_NEAR(*suffix.kl[t], *full.kl[t], 1e-5) << t;
        }
      }
    }
  }
}

TEST(WhatIf, TokenEditsRerunTheEditedIdsExactly) {
  const Model model = smallModel(Variant::Seed);
  auto ids = test::randomIds(40, kVocab, 4);
  const auto base = model.trace(ids);
  const WhatIf w = runWhatIf(model, base, parse({"replace:10=3", "insert:20=7", "delete:0"}));
  ids[10] = 3;
  ids.insert(ids.begin() + 20, 7);
  ids.erase(ids.begin());
  EXPECT_EQ(w.editedIds, ids);
  EXPECT_EQ(w.firstAffected, 0);
  expectSameRun(*runWhatIf(model, base, parse({"replace:10=3", "insert:20=7", "delete:0"}), {false}).edited,
                *model.trace(ids), 0);
  // Mapping: base 0 deleted; the inserted id (edited 19) has no base counterpart.
  ASSERT_EQ(w.baseOf.size(), 40u);
  EXPECT_EQ(w.baseOf[0], 1);
  EXPECT_EQ(w.baseOf[18], 19);
  EXPECT_FALSE(w.baseOf[19].has_value());
  EXPECT_EQ(w.baseOf[20], 20);
  EXPECT_FALSE(w.kl[19].has_value());
  EXPECT_FALSE(w.top1Base[19].has_value());
}

TEST(WhatIf, KlIsZeroBeforeTheEditAndPositiveAfterIt) {
  const Model model = smallModel();
  const auto base = model.trace(test::randomIds(30, kVocab, 5));
  const WhatIf w = runWhatIf(model, base, parse({"replace:12=0"}));
  EXPECT_EQ(w.firstAffected, 12);
  for (int64_t t = 0; t < 12; ++t) EXPECT_EQ(*w.kl[size_t(t)], 0.0) << t;
  for (int64_t t = 12; t < 30; ++t) EXPECT_GT(*w.kl[size_t(t)], 0.0) << t;
  for (int64_t t = 0; t < 30; ++t) EXPECT_EQ(*w.top1Base[size_t(t)], base->predictions(t)[0].token);
}

TEST(WhatIf, AKnockOutKeepsThePreviousStateInItsHeadOnly) {
  const Model model = smallModel();
  const auto base = model.trace(test::randomIds(20, kVocab, 6));
  const auto edited = runWhatIf(model, base, parse({"knockout:9@0.2"})).edited;
  const auto rec = edited->layer(0), ref = base->layer(0);
  for (int64_t j = 0; j < kDim / kHeads; ++j) {
    EXPECT_EQ(rec->stateAt(9, 2, j), rec->stateAt(8, 2, j));
    EXPECT_EQ(rec->sourceAt(9, 2, j), rec->sourceAt(8, 2, j));
    EXPECT_NE(rec->sourceAt(9, 2, j), 9);
    EXPECT_EQ(rec->stateAt(9, 1, j), ref->stateAt(9, 1, j));
    EXPECT_EQ(rec->termAt(4, 9, 1, j), ref->termAt(4, 9, 1, j));  // T5 = c * e: other heads untouched
  }
  EXPECT_FALSE(identical(edited->layer(1)->state, base->layer(1)->state)) << "later layers see the change";
}

TEST(WhatIf, ZeroAndFreezeOverwriteTheStateTheTermsSee) {
  const Model model = smallModel();
  const auto base = model.trace(test::randomIds(20, kVocab, 8));
  const auto zero = runWhatIf(model, base, parse({"zero-state:1.3@6"})).edited->layer(1);
  const auto frozen = runWhatIf(model, base, parse({"freeze-state:1.3@6"})).edited->layer(1);
  for (int64_t t = 6; t < 20; ++t)
    for (int64_t j = 0; j < kDim / kHeads; ++j) {
      EXPECT_EQ(zero->stateAt(t, 3, j), 0.f);
      EXPECT_EQ(zero->sourceAt(t, 3, j), -1);
      EXPECT_EQ(zero->termAt(4, t, 3, j), 0.f);  // T5 = c * e sees the zero
      EXPECT_EQ(frozen->stateAt(t, 3, j), frozen->stateAt(5, 3, j));
      EXPECT_EQ(frozen->sourceAt(t, 3, j), frozen->sourceAt(5, 3, j));
    }
  EXPECT_NE(zero->stateAt(5, 3, 0), 0.f);
}

TEST(WhatIf, ADroppedTermIsLeftOutOfTheSum) {
  const Model model = smallModel();
  const auto base = model.trace(test::randomIds(16, kVocab, 9));
  const auto rec = runWhatIf(model, base, parse({"drop-term:2.1.T4@5"})).edited->layer(2);
  for (int64_t t = 0; t < 16; ++t)
    for (int64_t j = 0; j < kDim / kHeads; ++j) {
      if (t >= 5) {
        EXPECT_EQ(rec->termAt(3, t, 1, j), 0.f);
      }
      double sum = 0;
      for (int k = 0; k < 6; ++k) sum += rec->termAt(k, t, 1, j);
      EXPECT_NEAR(rec->output.data()[t * kDim + j * kHeads + 1], sum, 1e-4 * (1 + std::abs(sum)));
    }
  EXPECT_NE(base->layer(2)->termAt(3, 5, 1, 0), 0.f);
}

TEST(WhatIf, LaterTokenEditsMoveEarlierInterventions) {
  const Model model = smallModel();
  const auto base = model.trace(test::randomIds(20, kVocab, 10));
  const WhatIf moved = runWhatIf(model, base, parse({"knockout:5@0.0", "insert:2=1"}));
  EXPECT_EQ(moved.firstAffected, 2);
  const auto rec = moved.edited->layer(0);
  EXPECT_EQ(rec->sourceAt(6, 0, 0), rec->sourceAt(5, 0, 0));  // the knock-out followed its token to 6
  const WhatIf gone = runWhatIf(model, base, parse({"knockout:5", "delete:5"}));
  EXPECT_EQ(gone.firstAffected, 5);
  expectSameRun(*gone.edited, *runWhatIf(model, base, parse({"delete:5"})).edited, 0);
}

TEST(WhatIf, EditsThatDoNotFitAreUsageErrors) {
  const Model model = smallModel(Variant::Seed);
  const auto base = model.trace(test::randomIds(10, kVocab, 11));
  EXPECT_EQ(usageError(model, base, {"knockout:0"}),
            "edit 1 (knockout:0): position 0 has nothing before it: knock out a position from 1 on");
  EXPECT_EQ(usageError(model, base, {"replace:10=1"}),
            "edit 1 (replace:10=1): position 10 is outside the sequence (positions 0..9 here)");
  EXPECT_EQ(usageError(model, base, {"replace:1=41"}),
            "edit 1 (replace:1=41): token id 41 is outside the vocabulary (ids 0..40)");
  EXPECT_EQ(usageError(model, base, {"knockout:3@3"}),
            "edit 1 (knockout:3@3): layer 3 does not exist (layers 0..2)");
  EXPECT_EQ(usageError(model, base, {"zero-state:0.4@1"}),
            "edit 1 (zero-state:0.4@1): head 4 does not exist (heads 0..3)");
  EXPECT_EQ(usageError(model, base, {"drop-term:0.0.T6"}),
            "edit 1 (drop-term:0.0.T6@0): term T6 does not exist in the seed variant (T1..T5)");
  EXPECT_EQ(usageError(model, base, {"freeze-state:0.0@0"}),
            "edit 1 (freeze-state:0.0@0): there is no state before position 0 to freeze: freeze from "
            "position 1 on");
  EXPECT_EQ(usageError(model, base, {"delete:0", "insert:10=1"}),
            "edit 2 (insert:10=1): position 10 is outside the sequence (positions 0..9 here)");
  EXPECT_EQ(usageError(model, base, {"knockout:1", "delete:0"}),
            "knockout:0: the edits before it moved it to position 0, which has nothing before it to keep");
  EXPECT_EQ(usageError(model, base, {}), "no edits given: add at least one (--edit SPEC)");
  const auto one = model.trace({3});
  EXPECT_EQ(usageError(model, one, {"delete:0"}),
            "the edits leave no position to run: keep at least one token");
  EXPECT_EQ(usageError(model, runWhatIf(model, base, parse({"delete:0"})).edited, {"delete:0"}),
            "cannot run edits on top of a what-if run: give all the edits to one run on the plain trace");
  try {
    model.append(*runWhatIf(model, base, parse({"delete:0"})).edited, {1});
    ADD_FAILURE() << "appended to a what-if run";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot append to a what-if run: append to the plain trace, then run the edits again");
  }
  const Model other = smallModel();
  EXPECT_EQ(usageError(other, base, {"delete:0"}),
            "cannot run the edits: the base trace was made with a different model");
}

TEST(WhatIf, ABareLayerTakesInterventionsButNoTokenEdits) {
  ModelWeights w = test::randomModel(Variant::OpenAsh, kVocab, kDim, kHeads, 1, 12);
  w.info.kind = ModelKind::Layer;
  w.embedding = {};
  w.headScore = {};
  const Model layer(w);
  FloatArray x({300, kDim});
  for (int64_t i = 0; i < x.size(); ++i) x[i] = float((i * 37) % 101) / 50.f - 1.f;
  const auto base = layer.traceInput(x);
  EXPECT_EQ(
      usageError(layer, base, {"delete:3"}),
      "edit 1 (delete:3): a bare layer has no tokens to edit: only knock-outs, state and term edits apply");
  const WhatIf w1 = runWhatIf(layer, base, parse({"knockout:280@0.1"}));
  expectSameRun(*w1.edited, *runWhatIf(layer, base, parse({"knockout:280@0.1"}), {false}).edited, 1e-5);
  EXPECT_TRUE(w1.kl.empty());
  EXPECT_EQ(w1.firstAffected, 280);
}

}  // namespace
}  // namespace maxstate
