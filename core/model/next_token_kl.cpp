#include "model/next_token_kl.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>

namespace maxstate::detail {
namespace {

double rowKl(const float* a, const float* b, int64_t V) {
  const double ma = *std::max_element(a, a + V), mb = *std::max_element(b, b + V);
  double za = 0, zb = 0, weighted = 0;
  for (int64_t i = 0; i < V; ++i) {
    const double ea = std::exp(double(a[i]) - ma);
    za += ea;
    zb += std::exp(double(b[i]) - mb);
    weighted += ea * (double(a[i]) - double(b[i]));
  }
  return weighted / za + (mb + std::log(zb)) - (ma + std::log(za));
}

}  // namespace

at::Tensor nextTokenKl(const at::Tensor& logitsA, const at::Tensor& logitsB) {
  const at::Tensor a = logitsA.to(at::kFloat).contiguous(), b = logitsB.to(at::kFloat).contiguous();
  const int64_t n = a.size(0), V = a.size(1);
  at::Tensor out = at::empty({n}, at::kDouble);
  const float *pa = a.data_ptr<float>(), *pb = b.data_ptr<float>();
  double* po = out.data_ptr<double>();
  at::parallel_for(0, n, 1, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) po[r] = rowKl(pa + r * V, pb + r * V, V);
  });
  return out;
}

}  // namespace maxstate::detail
