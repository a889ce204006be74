// maxstate trace: runs ids, text or (for a bare layer) an input through a model and writes everything a layer
// records -- inputs, states, sources, terms, outputs -- and the logits as .npy files, with meta.json.
// Runs in libmaxstate-run.so (cli/run_module_abi.h); its help is in the executable (cmd_trace_usage.cpp).
#include <iostream>
#include <set>

#include "cli/args.h"
#include "cli/index_option.h"
#include "cli/run_request.h"
#include "cli/trace_output.h"
#include "maxstate/architecture.h"
#include "maxstate/error.h"
#include "maxstate/npy.h"
#include "maxstate/resources.h"
#include "maxstate/trace.h"
#include "maxstate/vocabulary.h"

namespace maxstate::cli {
int runTrace(const std::vector<std::string>& argv) {
  const Args args(argv, runOptions({"layer", "out"}), {});
  const auto out = args.value("out");
  if (!out || out->empty())
    throw Error(ErrorKind::Usage, "--out DIR is required: the folder to write the trace to");
  std::vector<int> layers;
  const TracedRun run = runFromArguments(args, [&](const ModelInfo& info) {
    layers =
        parseAllOrIndex("layer", args.value("layer").value_or("all"), static_cast<int>(info.layers), "layer");
  });
  const std::shared_ptr<const Trace>& trace = run.trace;
  const ModelInfo& info = trace->info();
  const bool isModel = info.kind == ModelKind::Model;

  TraceOutput output;
  output.dir = *out;
  output.layers = layers;
  output.labels = run.labels;
  output.describe = describeRun(run);
  writeTraceFiles(*trace, output);
  std::cout << "traced " << trace->length() << " position(s) through " << info.layers << " layer(s) of "
            << run.path << " (" << run.mode << "); wrote " << layers.size() << " layer folder(s)"
            << (isModel ? " and logits" : "") << " to " << *out << "\n";
  return 0;
}

}  // namespace maxstate::cli
