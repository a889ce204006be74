#pragma once
// The files `maxstate trace` writes (issue #4): per traced layer
// DIR/layerL/{input,state,source,terms,output}.npy, DIR/logits.npy for models, and DIR/meta.json describing
// them. Every file is written atomically; meta.json last, so that its presence means the folder is complete.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "maxstate/trace.h"

namespace maxstate::cli {

struct TraceOutput {
  std::string dir;
  std::vector<int> layers;          // the layers to write
  std::vector<std::string> labels;  // one display label per position
  nlohmann::ordered_json describe;  // what was traced (model path, input, vocabulary), copied into meta.json
};

// Throws Error(BadFile) naming the folder or file that could not be written.
void writeTraceFiles(const Trace& trace, const TraceOutput& out);

}  // namespace maxstate::cli
