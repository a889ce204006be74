#include "cli/diff_summary.h"

#include <cmath>

namespace maxstate::cli {
namespace {

using Json = nlohmann::ordered_json;

Json finiteOrNull(double v) { return std::isfinite(v) ? Json(v) : Json(); }

Json alphas(const ModelSummary& m, size_t layer) {
  const LayerScalars& s = m.layers[layer];
  Json j = {{"alpha1", s.alpha1}, {"alpha2", s.alpha2}, {"alpha3", s.alpha3}};
  if (m.info.variant == Variant::Seed) j["alpha4"] = s.alpha4;
  if (m.info.kind == ModelKind::Model) j["residual_alpha"] = s.residualAlpha;
  return j;
}

}  // namespace

Json parametersSummary(const std::vector<ParameterChange>& params, const ModelSummary& a,
                       const ModelSummary& b) {
  Json s;
  s["parameters"] = Json::array();
  for (const auto& p : params) {
    s["parameters"].push_back(
        {{"name", p.name}, {"shape", p.shape}, {"rel_change", p.relChange ? Json(*p.relChange) : Json()}});
  }
  s["alphas"] = Json::array();
  for (size_t l = 0; l < std::min(a.layers.size(), b.layers.size()); ++l)
    s["alphas"].push_back({{"layer", l}, {"a", alphas(a, l)}, {"b", alphas(b, l)}});
  return s;
}

void addRunSummary(Json& s, const Comparison& c) {
  const bool isModel = c.a->info().kind == ModelKind::Model;
  if (isModel) {
    s["kl"] = Json::array();
    for (double v : c.kl) s["kl"].push_back(finiteOrNull(v));
    s["top1_agree"] = c.top1Agree;
  } else {
    s["kl"] = Json();
    s["top1_agree"] = Json();
  }
  s["layers"] = Json::array();
  for (const auto& l : c.layers) {
    s["layers"].push_back({{"layer", l.layer},
                           {"state_rel_diff", finiteOrNull(l.stateRelDiff)},
                           {"source_agree", l.sourceAgree}});
  }
  if (isModel) {
    s["top1_a"] = c.top1A;
    s["top1_b"] = c.top1B;
  }
}

}  // namespace maxstate::cli
