#include "model/top_predictions.h"

#include <ATen/Parallel.h>

#include <cmath>
#include <vector>

namespace maxstate::detail {
namespace {

// a ranks above b: NaN above everything (torch.topk's order), then larger values.
inline bool above(float a, float b) { return std::isnan(a) ? !std::isnan(b) : a > b; }

void topOfRow(const float* row, int64_t V, int64_t k, int64_t* ids, float* probs, std::vector<float>& vals) {
  // Insertion into a sorted list of k: most values fail the first comparison with the current k-th.
  int64_t filled = 0;
  for (int64_t v = 0; v < V; ++v) {
    const float x = row[v];
    if (filled == k && !above(x, vals[k - 1])) continue;
    int64_t pos = filled < k ? filled++ : k - 1;
    while (pos > 0 && above(x, vals[pos - 1])) {
      vals[pos] = vals[pos - 1];
      ids[pos] = ids[pos - 1];
      --pos;
    }
    vals[pos] = x;
    ids[pos] = v;
  }
  const float max = vals[0];
  double sum = 0;
  for (int64_t v = 0; v < V; ++v) sum += std::exp(row[v] - max);  // float exp, as softmax: glibc's is fast
  for (int64_t i = 0; i < k; ++i) probs[i] = float(std::exp(vals[i] - max) / sum);
}

}  // namespace

std::pair<at::Tensor, at::Tensor> topPredictions(const at::Tensor& logits, int64_t k) {
  const at::Tensor l = logits.contiguous();
  const int64_t n = l.size(0), V = l.size(1);
  k = std::min(k, V);
  at::Tensor ids = at::empty({n, k}, at::kLong);
  at::Tensor probs = at::empty({n, k}, at::kFloat);
  const float* in = l.data_ptr<float>();
  int64_t* outIds = ids.data_ptr<int64_t>();
  float* outProbs = probs.data_ptr<float>();
  at::parallel_for(0, n, 1, [&](int64_t begin, int64_t end) {
    std::vector<float> vals(static_cast<size_t>(k));
    for (int64_t r = begin; r < end; ++r) topOfRow(in + r * V, V, k, outIds + r * k, outProbs + r * k, vals);
  });
  return {ids, probs};
}

}  // namespace maxstate::detail
