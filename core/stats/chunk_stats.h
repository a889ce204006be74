#pragma once
// The statistics of one chunk of one layer, and the loss of one block of positions, on ATen tensors
// (core-internal): what streamStats computes as it goes.
#include <ATen/ATen.h>

#include <vector>

#include "model/model_ops.h"

namespace maxstate::detail {

// The four [L, S, H] arrays being filled (float32), and the loss [S - 1] for models.
struct StatsTensors {
  at::Tensor stateNorm, stateMax, writeRate, sourceAge, nll;
};

StatsTensors allocateStats(int layers, int64_t length, int64_t heads, bool withNll);

// Writes layer `layer`'s statistics of positions [begin, begin + n) from the state and its global sources in
// the module's layout ([1, dh, n, H] each).
void writeChunkStats(StatsTensors& out, int layer, int64_t begin, const at::Tensor& state,
                     const at::Tensor& source);

// Rows of logits computed at once: the whole [n, V] matrix of a chunk is ~0.75 GB at V = 23005.
int64_t logitRows(const ModelTensors& m);

// nll[t] = -log_softmax(logits[t])[ids[t + 1]] for the rows of x ([c, d], positions begin..) that
// have a next token.
void writeBlockNll(StatsTensors& out, const ModelTensors& m, const at::Tensor& x, int64_t begin,
                   const std::vector<int64_t>& ids);

}  // namespace maxstate::detail
