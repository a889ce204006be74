#pragma once
// What-if runs (SPEC.md section 5): token edits and interventions on the state and the terms, the model rerun
// exactly from the first position they can change. Edits apply in the order given; each one's positions are
// those of the sequence as the edits before it left it, and a later token edit moves the positions of the
// interventions given before it (an insert at P shifts positions >= P by one, a delete at P shifts those
// after P back by one and removes a knock-out of P itself).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "maxstate/trace.h"

namespace maxstate {

enum class EditKind { Replace, Delete, Insert, Knockout, ZeroState, FreezeState, DropTerm };

struct Edit {
  EditKind kind = EditKind::Replace;
  int64_t position = 0;  // P (the first position affected for ZeroState, FreezeState, DropTerm)
  int64_t token = 0;     // Replace and Insert: the new id
  int layer = -1;        // -1: every layer (Knockout only)
  int head = -1;         // -1: every head of the layer (Knockout only)
  int term = 0;          // DropTerm: 1..6 (T1..T6)
};

// One --edit SPEC: replace:P=ID, delete:P, insert:P=ID (before P), knockout:P, knockout:P@L, knockout:P@L.H,
// zero-state:L.H@P, freeze-state:L.H@P, drop-term:L.H.Tk, drop-term:L.H.Tk@P. Error(Usage) saying what is
// wrong with the text; whether the positions, layers, heads and ids exist is checked by runWhatIf.
Edit parseEdit(const std::string& spec);
std::string editSpec(const Edit& edit);  // the SPEC form: parseEdit(editSpec(e)) == e
bool isTokenEdit(const Edit& edit);      // Replace, Delete, Insert

struct WhatIfOptions {
  // true: only the positions from firstAffected on are recomputed, after the states the base trace keeps
  // every kStatePositions positions (equal to a full rerun up to the rounding of the projections, as step
  // and parallel runs are); false: the edited sequence is rerun from position 0 in one parallel run.
  bool suffixOnly = true;
};

struct WhatIf {
  std::shared_ptr<const Trace> base, edited;
  std::vector<int64_t> editedIds;              // models: the edited token ids
  std::vector<std::optional<int64_t>> baseOf;  // per edited position: its base position, if any
  int64_t firstAffected = 0;                   // the first edited position that can differ from the base
  // Models only (empty for a bare layer), one entry per edited position: KL(P_base || P_edited) of the
  // next-token distributions (natural log, float64 log-softmax of the float32 logits; none where the position
  // has no base counterpart) and each run's top-1 token.
  std::vector<std::optional<double>> kl;
  std::vector<std::optional<int64_t>> top1Base;
  std::vector<int64_t> top1Edited;
};

// How often a trace keeps every layer's carried state (positions), so that a what-if run starts near any P.
constexpr int64_t kStatePositions = 256;

// Runs `edits` on `base` (a trace of `model`). Error(Usage) with one line saying what is wrong for an edit
// that does not fit the trace: a position outside the sequence, a knock-out of position 0, a freeze at 0, a
// layer, head or term that does not exist, an id outside the vocabulary, a token edit on a bare layer, no
// edits at all, or a sequence the edits leave empty.
WhatIf runWhatIf(const Model& model, const std::shared_ptr<const Trace>& base, const std::vector<Edit>& edits,
                 const WhatIfOptions& options = {}, const Progress& progress = {});

}  // namespace maxstate
