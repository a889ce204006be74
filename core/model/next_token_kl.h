#pragma once
// KL(P_A || P_B) of next-token distributions (SPEC.md sections 5 and 7), shared by what-if runs and
// checkpoint comparisons (core-internal).
#include <ATen/ATen.h>

namespace maxstate::detail {

// Rows of two logits matrices [n, V] (float32) -> float64 [n]: KL of softmax(a) from softmax(b), natural log,
// every step in float64 as log_softmax(a.double()) would compute it. One fused pass per row instead of
// PyTorch's ~6 over [n, V] doubles:
//   KL = (1/Z_a) sum_i exp(a_i - m_a) (a_i - b_i) + (m_b + log Z_b) - (m_a + log Z_a)
// with m the row's maximum and Z = sum_i exp(x_i - m). Equal rows give exactly 0.
at::Tensor nextTokenKl(const at::Tensor& logitsA, const at::Tensor& logitsB);

}  // namespace maxstate::detail
