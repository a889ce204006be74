// maxstate trace: runs ids, text or (for a bare layer) an input through a model and writes everything a layer
// records -- inputs, states, sources, terms, outputs -- and the logits as .npy files, with meta.json.
#include <iostream>
#include <set>

#include "cli/args.h"
#include "cli/commands.h"
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

// Without PATH: the bundled demo model; no demo installed is a usage problem (give a PATH).
std::string demoOrUsageError(const char* what) {
  try {
    demoDir();
  } catch (const Error& e) {
    throw Error(ErrorKind::Usage, std::string("no ") + what + " given, and " + e.what());
  }
  return std::string(what) == "PATH" ? demoModelPath() : demoVocabularyPath();
}

// Messages about a file's content carry the file's name.
[[noreturn]] void rethrowFor(const std::string& path, const Error& e, ErrorKind kind) {
  throw Error(kind, path + ": " + e.what());
}

std::vector<int64_t> readIdsFile(const std::string& path) {
  const IndexArray a = readNpyIndex(path);
  if (!(a.ndim() == 1 || (a.ndim() == 2 && a.dim(0) == 1)) || a.size() == 0) {
    throw Error(ErrorKind::BadFile, path + ": expected a non-empty 1-D array of token ids, got shape " +
                                        shapeToString(a.shape()));
  }
  return {a.data(), a.data() + a.size()};
}

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
  const Args args(argv, {"ids", "ids-file", "text", "input", "vocab", "heads", "layer", "mode", "out"}, {});
  const auto& positional = args.positional();
  if (positional.size() > 1) {
    throw Error(ErrorKind::Usage, "expected at most one PATH, got " + std::to_string(positional.size()) +
                                      ": " + positional[0] + ", " + positional[1] +
                                      (positional.size() > 2 ? ", ..." : ""));
  }
  int inputs = 0;
  std::string inputKind;
  for (const char* name : {"ids", "ids-file", "text", "input"}) {
    if (args.has(name)) {
      ++inputs;
      inputKind = name;
    }
  }
  if (inputs != 1) {
    throw Error(ErrorKind::Usage, std::string(inputs ? "give only one" : "give one") +
                                      " input: --ids, --ids-file, --text or --input");
  }
  const auto out = args.value("out");
  if (!out || out->empty())
    throw Error(ErrorKind::Usage, "--out DIR is required: the folder to write the trace to");
  TraceOptions options;
  const std::string mode = args.value("mode").value_or("parallel");
  if (mode == "step")
    options.mode = RunMode::Step;
  else if (mode != "parallel")
    throw Error(ErrorKind::Usage, "--mode expects parallel or step, got '" + mode + "'");
  std::optional<int64_t> heads;
  if (auto h = args.integer("heads")) {
    if (*h <= 0)
      throw Error(ErrorKind::Usage, "--heads expects a positive number, got " + std::to_string(*h));
    heads = *h;
  }

  const bool demo = positional.empty();
  const std::string path = demo ? demoOrUsageError("PATH") : positional[0];
  const Model model(loadModel(path, heads));
  const ModelInfo& info = model.info();
  const bool isModel = info.kind == ModelKind::Model;
  if (isModel && inputKind == "input") {
    throw Error(ErrorKind::Usage, path + " is a whole model: give token ids (--ids, --ids-file) or --text; " +
                                      "--input is for a bare layer");
  }
  if (!isModel && inputKind != "input") {
    throw Error(ErrorKind::Usage, path + " is a bare MaxStateSuper layer: give its input as --input x.npy " +
                                      "(float32 [S, " + std::to_string(info.hidden) + "])");
  }
  const std::vector<int> layers =
      selectLayers(args.value("layer").value_or("all"), static_cast<int>(info.layers));

  // The vocabulary: --vocab, else the demo's for the demo model, else raw ids (labels are the ids).
  std::optional<std::string> vocabPath = args.value("vocab");
  if (!vocabPath && demo && isModel) vocabPath = demoOrUsageError("vocabulary");
  if (!vocabPath && inputKind == "text") {
    throw Error(ErrorKind::Usage, "--text needs the model's vocabulary: pass --vocab FILE");
  }
  const Vocabulary vocab = vocabPath ? Vocabulary::load(*vocabPath) : Vocabulary::rawIds();
  if (vocabPath && isModel) vocab.checkFitsModel(*info.vocabSize);

  TraceOutput output;
  output.dir = *out;
  output.layers = layers;
  output.describe["model"] = {{"path", path}};
  output.describe["input"] = inputKind;
  output.describe["vocabulary"] =
      vocabPath
          ? nlohmann::ordered_json{{"path", *vocabPath}, {"format", vocabularyFormatName(vocab.format())}}
          : nlohmann::ordered_json();

  std::shared_ptr<const Trace> trace;
  if (inputKind == "input") {
    const std::string file = *args.value("input");
    const FloatArray x = readNpyFloat(file);
    try {
      trace = model.traceInput(x, options);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::Shape && e.kind() != ErrorKind::Usage) throw;
      rethrowFor(file, e, ErrorKind::BadFile);
    }
    for (int64_t p = 0; p < trace->length(); ++p) output.labels.push_back(std::to_string(p));
  } else {
    std::vector<int64_t> ids;
    if (inputKind == "ids")
      ids = parseIdList(*args.value("ids"));
    else if (inputKind == "text")
      ids = vocab.encode(*args.value("text"));
    else
      ids = readIdsFile(*args.value("ids-file"));
    try {
      trace = model.trace(ids, options);
    } catch (const Error& e) {
      // Ids read from a file make the file unusable; ids typed on the command line are a usage error.
      if (inputKind != "ids-file" || e.kind() != ErrorKind::Usage) throw;
      rethrowFor(*args.value("ids-file"), e, ErrorKind::BadFile);
    }
    output.labels = vocab.labels(ids);
  }
  writeTraceFiles(*trace, output);
  std::cout << "traced " << trace->length() << " position(s) through " << info.layers << " layer(s) of "
            << path << " (" << mode << "); wrote " << layers.size() << " layer folder(s)"
            << (isModel ? " and logits" : "") << " to " << *out << "\n";
  return 0;
}

}  // namespace

Command traceCommand() {
  return {"trace", "run ids, text or an input through a model; write states, sources, terms as .npy", kUsage,
          &runTrace};
}

}  // namespace maxstate::cli
