// compareTraces: the comparison of two traces already made -- each layer's record as the traces give it
// (recomputed and cached by them), the logits in chunks.
#include <ATen/ATen.h>

#include "compare/same_architecture.h"
#include "maxstate/compare.h"
#include "maxstate/error.h"
#include "model/next_token_kl.h"
#include "trace/progress_tracker.h"
#include "trace/run_segment.h"
#include "util/tensor_convert.h"

namespace maxstate {

using namespace detail;

namespace {

void checkSameInput(const Trace& a, const Trace& b) {
  if (a.length() != b.length()) {
    throw Error(ErrorKind::Shape, "the traces are not of one input: " + std::to_string(a.length()) +
                                      " position(s) in A, " + std::to_string(b.length()) + " in B");
  }
  if (a.tokens() != b.tokens())
    throw Error(ErrorKind::Usage, "the traces are not of one input: their token ids differ");
}

}  // namespace

Comparison compareTraces(const std::shared_ptr<const Trace>& a, const std::shared_ptr<const Trace>& b,
                         const Progress& progress, const LayerPairObserver& onLayer) {
  if (!a || !b) throw Error(ErrorKind::Usage, "cannot compare: a trace is missing");
  checkSameArchitecture(a->info(), b->info());
  checkSameInput(*a, *b);
  const bool isModel = a->info().kind == ModelKind::Model;
  const int64_t S = a->length();
  // The row blocks of the runs' own head: one trace's logits are then exactly what its run computed.
  const int64_t rows = isModel ? headChunkRows(*a->info().vocabSize) : 1;
  ProgressTracker tracker(progress, a->layerCount() + (isModel ? (S + rows - 1) / rows : 0));
  Comparison out;
  out.a = a;
  out.b = b;
  for (int l = 0; l < a->layerCount(); ++l) {
    tracker.check();
    const auto ra = a->layer(l), rb = b->layer(l);
    out.layers.push_back(compareRecords(l, *ra, *rb));
    if (onLayer) onLayer(l, *ra, *rb);
    tracker.advance();
  }
  if (!isModel) return out;
  at::NoGradGuard noGrad;
  out.kl.resize(static_cast<size_t>(S));
  for (int64_t begin = 0; begin < S; begin += rows) {
    tracker.check();
    const int64_t end = std::min(S, begin + rows);
    const at::Tensor kl = nextTokenKl(toTensor(a->logits(begin, end)), toTensor(b->logits(begin, end)));
    std::copy(kl.data_ptr<double>(), kl.data_ptr<double>() + kl.numel(), out.kl.begin() + begin);
    tracker.advance();
  }
  int64_t same = 0;
  for (int64_t t = 0; t < S; ++t) {
    out.top1A.push_back(a->predictions(t).front().token);
    out.top1B.push_back(b->predictions(t).front().token);
    same += out.top1A.back() == out.top1B.back();
  }
  out.top1Agree = static_cast<double>(same) / static_cast<double>(S);
  return out;
}

}  // namespace maxstate
