// The top-k kernel against PyTorch's own softmax(logits).topk(k), including ties, large logits and NaN.
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include <cmath>

#include "model/top_predictions.h"

namespace maxstate::detail {
namespace {

void expectLikeTorch(const at::Tensor& logits, int64_t k) {
  auto [ids, probs] = topPredictions(logits, k);
  auto [wantProbs, wantIds] = at::topk(at::softmax(logits, -1), std::min(k, logits.size(1)), -1);
  ASSERT_EQ(ids.sizes(), wantIds.sizes());
  ASSERT_EQ(probs.sizes(), wantProbs.sizes());
  const auto got = probs.accessor<float, 2>(), want = wantProbs.accessor<float, 2>();
  const auto gotIds = ids.accessor<int64_t, 2>(), wantId = wantIds.accessor<int64_t, 2>();
  const auto l = logits.accessor<float, 2>();
  for (int64_t r = 0; r < ids.size(0); ++r) {
    for (int64_t i = 0; i < ids.size(1); ++i) {
      EXPECT_NEAR(got[r][i], want[r][i], 1e-6 * std::max(1.0f, want[r][0])) << "row " << r << " rank " << i;
      // The same token, or one with exactly the same logit (torch leaves the order of ties open).
      EXPECT_EQ(l[r][gotIds[r][i]], l[r][wantId[r][i]]) << "row " << r << " rank " << i;
      if (i) EXPECT_TRUE(l[r][gotIds[r][i - 1]] >= l[r][gotIds[r][i]]) << "not sorted at row " << r;
    }
  }
}

TEST(TopPredictions, MatchSoftmaxTopk) {
  at::manual_seed(3);
  expectLikeTorch(at::randn({37, 1000}), 10);
  expectLikeTorch(at::randn({5, 23005}) * 8, 10);     // the published vocabulary
  expectLikeTorch(at::randn({4, 300}) * 40 + 60, 5);  // large logits: exp only of differences from the max
  expectLikeTorch(at::randn({3, 7}), 10);             // k above V: every token, ranked
  expectLikeTorch(at::randn({1, 1}), 3);
}

TEST(TopPredictions, TiesKeepTheLowerIdFirst) {
  at::Tensor l = at::zeros({2, 50});
  l[0][7] = 2;
  l[0][30] = 2;
  l[0][3] = 1;
  auto [ids, probs] = topPredictions(l, 4);
  EXPECT_EQ(ids[0][0].item<int64_t>(), 7);
  EXPECT_EQ(ids[0][1].item<int64_t>(), 30);
  EXPECT_EQ(ids[0][2].item<int64_t>(), 3);
  EXPECT_EQ(ids[0][3].item<int64_t>(), 0);  // the first of the many zeros
  for (int i = 0; i < 4; ++i) EXPECT_FLOAT_EQ(probs[1][i].item<float>(), 1.0f / 50);
  expectLikeTorch(at::randint(-2, 3, {6, 40}).to(at::kFloat), 8);  // many ties
}

TEST(TopPredictions, NanRanksFirstAndPoisonsTheProbabilities) {
  at::Tensor l = at::randn({1, 20});
  l[0][11] = NAN;
  auto [ids, probs] = topPredictions(l, 3);
  EXPECT_EQ(ids[0][0].item<int64_t>(), 11);  // as torch.topk
  EXPECT_TRUE(std::isnan(probs[0][1].item<float>())) << "a NaN logit must not give plausible probabilities";
}

}  // namespace
}  // namespace maxstate::detail
