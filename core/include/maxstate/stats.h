#pragma once
// Long-context statistics (SPEC.md section 6, issue 15): per layer, position and head, how large the state
// is, how much of it the token wrote and how old the values it holds are; for models, the loss on the text
// itself. computed by streaming the sequence through the model a chunk at a time, carrying every layer's
// state, so that memory does not grow with the length (no Trace is built: a Trace keeps every layer's input).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "maxstate/array.h"
#include "maxstate/trace.h"

namespace maxstate {

// OpenASH trains on chunks of this many tokens (SPEC.md section 6): the training length when nothing says
// otherwise.
constexpr int64_t kDefaultTrainLength = 8192;

// Positions [begin, begin + length) of a run. Arrays are float32 [L, length, H] (L = 1 for a bare layer):
//   stateNorm  sqrt(sum_j e^2) over the head's dh channels of the state e;
//   stateMax   max_j |e|;
//   writeRate  (1/dh) #{j : src[t,h,j] == t}: the share of the state this token wrote;
//   sourceAge  (1/dh) sum_j (t - src[t,h,j]) (summed exactly, divided in float64): how old the values held
//   are.
// nll (models only, else empty): float32 [n], nll[i] = -log softmax(logits[begin + i])[ids[begin + i + 1]]
// (nats) for every position of the range that has a next token: n = min(begin + length, S - 1) - begin.
struct LongContextStats {
  int64_t begin = 0;
  int64_t length = 0;
  FloatArray stateNorm, stateMax, writeRate, sourceAge;
  FloatArray nll;
};

struct StatsOptions {
  // Positions run at once. Memory grows with the chunk (a chunk of 8192 at d=768 takes ~0.5 GB of
  // temporaries, most of it the logits), never with the length; the statistics do not depend on it beyond
  // the float rounding of the projections (as step and parallel runs, README "Step and parallel runs").
  int64_t chunk = 8192;
};

// A whole model on token ids (S >= 1). Error(Usage) for an id outside the vocabulary, for a bare layer, for a
// chunk < 1; Error(Cancelled) when progress.cancel is set. Progress counts layers and head blocks per chunk.
LongContextStats streamStats(const Model& model, const std::vector<int64_t>& ids,
                             const StatsOptions& options = {}, const Progress& progress = {});
// A bare layer on its input x [S, d]. Error(Shape) for another shape, Error(Usage) for a non-finite value or
// a whole model.
LongContextStats streamInputStats(const Model& model, const FloatArray& x, const StatsOptions& options = {},
                                  const Progress& progress = {});

// The same statistics for positions [begin, end) of an existing trace, from its layer records (recomputed
// on demand, see Trace::layer) and its logits: what a view of a trace shows. Error(Usage) for a range
// outside the trace or an empty one.
LongContextStats statsOfTrace(const Trace& trace, int64_t begin, int64_t end);

// The training length recorded beside a checkpoint: the side file `<checkpoint>.json` (see
// headsSideFilePath), key "train_length". nullopt when there is no side file or no such key; Error(BadFile)
// naming the file when the side file or the value is not valid.
std::optional<int64_t> readTrainLength(const std::string& checkpointPath);

}  // namespace maxstate
