#pragma once
// The numbers the views show, as small functions of the core's arrays, so that tests can check each one
// against the core's own values. Positions are global (a record may start at `begin`); values are read with
// LayerRecord's accessors (head slices, term slices, position columns).
#include <QString>
#include <cstdint>
#include <vector>

#include "maxstate/layer.h"
#include "maxstate/trace.h"
#include "ui/session/model_handle.h"

namespace maxstate::ui {

// The record's sizes in one value (read through LayerRecord's accessors, the one decoder of the layout).
struct RecordShape {
  int64_t begin = 0, length = 0, heads = 0, headDim = 0, terms = 0;
};
RecordShape recordShape(const LayerRecord& r);

// Share of head `head`'s dh state channels at `position` held by each token 0..position (sums to 1).
std::vector<double> sourceShares(const LayerRecord& r, int64_t position, int64_t head);
// The same for every head: [H][position + 1].
std::vector<std::vector<double>> sourceSharesAllHeads(const LayerRecord& r, int64_t position);

// L2 norm over the head's dh channels of term `term` (0-based: T1 is 0) at `position`.
double termMagnitude(const LayerRecord& r, int term, int64_t position, int64_t head);
// Every term over every position for one head: [T][S].
std::vector<std::vector<double>> termMagnitudes(const LayerRecord& r, int64_t head);
// The breakdown at the cursor: one magnitude per term.
std::vector<double> termBreakdown(const LayerRecord& r, int64_t position, int64_t head);
QString termName(int term);  // "T1".."T6"

// The alpha table of a checkpoint, with names for the rows.
enum class AlphaKind { Alpha1, Alpha2, Alpha3, Alpha4, Residual };
constexpr int kAlphaKinds = 5;
QString alphaName(AlphaKind k);  // "alpha1".."alpha4", "residual alpha"
std::optional<float> alphaValue(const LayerAlphas& a, AlphaKind k);
LayerAlphas alphasOf(const DecoderLayerWeights& layer, ModelKind kind);

}  // namespace maxstate::ui
