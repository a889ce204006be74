#pragma once
// Comparing two checkpoints A and B of one architecture (SPEC.md section 7): how far each parameter tensor
// moved, and, on one input, where the two models behave differently (next-token distributions, every
// layer's state and sources).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "maxstate/trace.h"

namespace maxstate {

struct ParameterChange {
  std::string name;  // the checkpoint key, prefixes removed
  Shape shape;
  // ||W_B - W_A|| / ||W_A|| (L2 over the tensor, float64); nullopt when A's tensor is all zeros.
  std::optional<double> relChange;
};

// Every floating-point tensor of A against B's tensor of the same name, in A's key order, each read one at
// a time (memory: two tensors). Error(Shape) with one line naming the first key or shape that differs
// (a key missing on one side, or two shapes) when the checkpoints are not of one architecture.
std::vector<ParameterChange> compareParameters(const Checkpoint& a, const Checkpoint& b,
                                               const Progress& progress = {});
// The same from two paths (readCheckpoint's errors for files that cannot be read).
std::vector<ParameterChange> compareParameters(const std::string& pathA, const std::string& pathB,
                                               const Progress& progress = {});

struct LayerComparison {
  int layer = 0;
  // ||e_B - e_A|| / ||e_A|| over all positions, heads and channels (float64); when A's states are all zero:
  // 0 if B's are too, else infinity.
  double stateRelDiff = 0;
  double sourceAgree = 0;  // fraction of state cells [S, H, dh] whose source is the same
};

struct Comparison {
  std::shared_ptr<const Trace> a, b;  // the two runs of the one input
  // Models only (empty for bare layers), one entry per position: KL(P_A || P_B) of the next-token
  // distributions (natural log, float64 log-softmax of the float32 logits, as in whatif.h) and each run's
  // top-1 token; top1Agree is the fraction of positions where they are the same.
  std::vector<double> kl;
  std::vector<int64_t> top1A, top1B;
  double top1Agree = 0;
  std::vector<LayerComparison> layers;  // every layer, in order
};

// Called once per layer while compareRuns runs, with both runs' full records of that layer (for writing
// state_diff.npy / source_same.npy without keeping every layer's records).
using LayerPairObserver = std::function<void(int layer, const LayerRecord& a, const LayerRecord& b)>;

// Runs both models over one input (token ids for models; `input` [S, d] for bare layers, ids ignored) and
// compares them. Costs about two traces: the records are compared as the runs make them, not recomputed.
// Error(Shape) when the models are not of one architecture (ModelInfo differs: variant, kind, sizes).
Comparison compareRuns(const Model& a, const Model& b, const std::vector<int64_t>& ids,
                       const FloatArray& input, const TraceOptions& options = {},
                       const Progress& progress = {}, const LayerPairObserver& onLayer = {});

// The same comparison of two traces already made (models of one architecture, the same input: the same length
// and token ids), each layer's record as the traces give it -- recomputed, so this costs more than
// compareRuns. For traces the caller already has, and what compareRuns does for RunMode::Step. Error(Shape)
// for different architectures or lengths, Error(Usage) for different token ids.
Comparison compareTraces(const std::shared_ptr<const Trace>& a, const std::shared_ptr<const Trace>& b,
                         const Progress& progress = {}, const LayerPairObserver& onLayer = {});

// Cell by cell, from two records of one layer over the same positions: B's state minus A's ([S, H, dh]
// float32) and whether the sources are the same ([S, H, dh], 1 or 0). Error(Shape) for records that differ
// in shape or positions.
FloatArray stateDifference(const LayerRecord& a, const LayerRecord& b);
std::vector<uint8_t> sourceSame(const LayerRecord& a, const LayerRecord& b);
// The same statistics as compareRuns gives, for two records (the explorer compares traces it already has).
LayerComparison compareRecords(int layer, const LayerRecord& a, const LayerRecord& b);

}  // namespace maxstate
