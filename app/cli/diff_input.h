#pragma once
// What `maxstate diff` runs both checkpoints on: the input flags of `maxstate trace` (optional here),
// --vocab,
// --heads and --layer, checked before anything is loaded.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/args.h"
#include "maxstate/trace.h"

namespace maxstate::cli {

struct DiffRequest {
  bool hasInput = false;
  std::optional<int64_t> heads;
};

// Error(Usage) for --heads that is not positive, and for --layer, --vocab or --tokenizer without an input.
DiffRequest diffRequestFrom(const Args& args);

struct DiffRun {
  std::shared_ptr<const Model> a, b;
  std::vector<int64_t> ids;  // models
  FloatArray input;          // bare layers
  std::vector<int> layers;   // whose state_diff.npy / source_same.npy are written
};

// Loads both models and reads the input as `maxstate trace` does (the vocabulary is A's). Error(Usage) for
// an input of the wrong kind (ids for a bare layer, --input for a model) or a --layer that does not exist.
DiffRun loadDiffRun(const Args& args, const DiffRequest& request, const std::string& pathA,
                    const std::string& pathB);

}  // namespace maxstate::cli
