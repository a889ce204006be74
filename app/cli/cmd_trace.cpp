// maxstate trace: runs ids, text or (for a bare layer) an input through a model and writes everything a layer
// records -- inputs, states, sources, terms, outputs -- and the logits as .npy files, with meta.json.
#include <iostream>
#include <set>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/run_request.h"
#include "cli/trace_output.h"
#include "maxstate/architecture.h"
#include "maxstate/error.h"
#include "maxstate/npy.h"
#include "maxstate/resources.h"
#include "maxstate/trace.h"
#include "maxstate/vocabulary.h"

namespace maxstate::cli {
namespace {

const char* kUsage =
    "Usage: maxstate trace [PATH] (--ids 1,2,3 | --ids-file ids.npy | --text STR | --input x.npy)\n"
    "                      [--vocab FILE] [--heads N] [--layer L|all] [--mode parallel|step] --out DIR\n"
    "\n"
    "Runs a model over a sequence and writes what every layer records, as NumPy files:\n"
    "  DIR/layerL/input.npy   float32 [S, d]        the layer's input\n"
    "  DIR/layerL/state.npy   float32 [S, H, dh]    the running maximum (the state) after each position\n"
    "  DIR/layerL/source.npy  int64   [S, H, dh]    the position whose value each state cell holds\n"
    "  DIR/layerL/terms.npy   float32 [T, S, H, dh] the terms T1..T5 (seed) or T1..T6 (openash)\n"
    "  DIR/layerL/output.npy  float32 [S, d]        the layer's output, channel j*H + h as PyTorch returns "
    "it\n"
    "  DIR/logits.npy         float32 [S, V]        the model's logits (models only)\n"
    "  DIR/meta.json          shapes, tokens, labels and the model's description\n"
    "\n"
    "  PATH             a checkpoint (torch.save zip or legacy, .safetensors, TorchScript); without PATH, "
    "the\n"
    "                   bundled demo model and its vocabulary\n"
    "  --ids LIST       token ids, e.g. 1,2,3 or \"1 2 3\"\n"
    "  --ids-file F     token ids from an integer .npy file of shape [S]\n"
    "  --text STR       text, encoded with the vocabulary (--vocab, or the demo's)\n"
    "  --input F        a float32 .npy of shape [S, d]: the input of a bare MaxStateSuper layer\n"
    "  --vocab FILE     the vocabulary (OpenASH JSON or a token list), for --text and the labels in "
    "meta.json\n"
    "  --heads N        the heads of a seed-variant checkpoint (or a side file PATH.json with {\"heads\": "
    "N})\n"
    "  --layer L|all    the layer(s) to write (default all)\n"
    "  --mode M         parallel (default: one pass per layer, exactly PyTorch's numbers) or step (one "
    "token\n"
    "                   at a time, carrying each layer's state)\n"
    "  --out DIR        the folder to write (created if missing; files in it are replaced)\n"
    "\n"
    "Exit status: 0 success, 1 a file or input that cannot be used (one line on stderr says why), 2 usage "
    "errors.\n";

std::vector<int> selectLayers(const std::string& spec, int count) {
  std::vector<int> layers;
  if (spec == "all") {
    for (int l = 0; l < count; ++l) layers.push_back(l);
    return layers;
  }
  size_t used = 0;
  int l = -1;
  try {
    l = std::stoi(spec, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != spec.size() || spec.empty()) {
    throw Error(ErrorKind::Usage, "--layer expects a layer number or 'all', got '" + spec + "'");
  }
  if (l < 0 || l >= count) {
    throw Error(ErrorKind::Usage, "--layer " + spec + " does not exist: the model has " +
                                      std::to_string(count) + " layer(s), 0.." + std::to_string(count - 1));
  }
  return {l};
}

int runTrace(const std::vector<std::string>& argv) {
  const Args args(argv, runOptions({"layer", "out"}), {});
  const auto out = args.value("out");
  if (!out || out->empty())
    throw Error(ErrorKind::Usage, "--out DIR is required: the folder to write the trace to");
  std::vector<int> layers;
  const TracedRun run = runFromArguments(args, [&](const ModelInfo& info) {
    layers = selectLayers(args.value("layer").value_or("all"), static_cast<int>(info.layers));
  });
  const std::shared_ptr<const Trace>& trace = run.trace;
  const ModelInfo& info = trace->info();
  const bool isModel = info.kind == ModelKind::Model;

  TraceOutput output;
  output.dir = *out;
  output.layers = layers;
  output.labels = run.labels;
  output.describe["model"] = {{"path", run.path}};
  output.describe["input"] = run.inputKind;
  output.describe["vocabulary"] =
      run.vocabularyPath ? nlohmann::ordered_json{{"path", *run.vocabularyPath},
                                                  {"format", vocabularyFormatName(run.vocabulary.format())}}
                         : nlohmann::ordered_json();
  writeTraceFiles(*trace, output);
  std::cout << "traced " << trace->length() << " position(s) through " << info.layers << " layer(s) of "
            << run.path << " (" << run.mode << "); wrote " << layers.size() << " layer folder(s)"
            << (isModel ? " and logits" : "") << " to " << *out << "\n";
  return 0;
}

}  // namespace

Command traceCommand() {
  return {"trace", "run ids, text or an input through a model; write states, sources, terms as .npy", kUsage,
          &runTrace};
}

}  // namespace maxstate::cli
