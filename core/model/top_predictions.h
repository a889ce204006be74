#pragma once
// The k most likely next tokens of each row of logits, with their softmax probabilities (core-internal).
//
// PyTorch's way, softmax(logits).topk(k), writes a full [n, V] probability matrix and sorts copies of every
// row; for the published vocabulary (V = 23005) that costs as much as half the head's matrix product. Here
// one pass finds the row's top k (its first entry is the row's maximum) and a second sums exp(logit - max)
// (accumulated in double), so each probability is exp(logit - max) / sum: softmax's formula, within ~1e-7 of
// it.
#include <ATen/ATen.h>

#include <utility>

namespace maxstate::detail {

// logits [n, V] float32 -> (ids int64 [n, min(k, V)], probabilities float32 [n, min(k, V)]), most likely
// first. Equal logits keep the lower id first; NaN counts as the largest value, as in torch.topk.
std::pair<at::Tensor, at::Tensor> topPredictions(const at::Tensor& logits, int64_t k);

}  // namespace maxstate::detail
