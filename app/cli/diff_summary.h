#pragma once
// DIR/summary.json of `maxstate diff` (issue 14): the fields, exactly.
#include <nlohmann/json.hpp>
#include <vector>

#include "maxstate/architecture.h"
#include "maxstate/compare.h"

namespace maxstate::cli {

// {"parameters": [{"name", "shape", "rel_change"}...], "alphas": [{"layer", "a": {...}, "b": {...}}...]}:
// rel_change null where A's tensor is all zeros; alpha1..alpha3, alpha4 (seed), residual_alpha (models).
nlohmann::ordered_json parametersSummary(const std::vector<ParameterChange>& params, const ModelSummary& a,
                                         const ModelSummary& b);
// Adds "kl" (one per position; null for bare layers), "top1_agree" (null for bare layers), "top1_a",
// "top1_b" and "layers": [{"layer", "state_rel_diff" (null when infinite: A's states all zero),
// "source_agree"}].
void addRunSummary(nlohmann::ordered_json& summary, const Comparison& c);

}  // namespace maxstate::cli
