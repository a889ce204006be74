#pragma once
// Golden whole-model cases written by tests/reference/make_model_golden.py, loaded as ModelWeights.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "maxstate/architecture.h"

namespace maxstate::test {

struct ModelCase {
  std::string name;
  std::string dir;
  nlohmann::json meta;
  ModelWeights weights;
  std::vector<int64_t> ids;
};

ModelCase loadModelCase(const std::string& name);
// The case names, or {"<missing>"} when the golden data was not generated (tests then skip).
std::vector<std::string> modelCaseNames();

// A small model with deterministic pseudo-random weights, for tests that need no reference numbers.
ModelWeights randomModel(Variant variant, int64_t vocab, int64_t dim, int64_t heads, int layers,
                         uint32_t seed = 1);
// Deterministic pseudo-random token ids in [0, vocab).
std::vector<int64_t> randomIds(int64_t count, int64_t vocab, uint32_t seed = 2);

}  // namespace maxstate::test
