#include "cli/run_request.h"

#include "cli/input_args.h"
#include "maxstate/architecture.h"
#include "maxstate/error.h"
#include "maxstate/npy.h"
#include "maxstate/resources.h"

namespace maxstate::cli {
namespace {

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

}  // namespace

std::set<std::string> runOptions(std::set<std::string> more) {
  more.insert({"vocab", "heads", "mode"});
  return inputOptions(std::move(more));
}

TracedRun loadFromArguments(const Args& args, const std::function<void(const ModelInfo&)>& validate) {
  const auto& positional = args.positional();
  if (positional.size() > 1) {
    throw Error(ErrorKind::Usage, "expected at most one PATH, got " + std::to_string(positional.size()) +
                                      ": " + positional[0] + ", " + positional[1] +
                                      (positional.size() > 2 ? ", ..." : ""));
  }
  TracedRun run;
  const CommandInput input = inputFromArgs(args, {"text", "text-file", "chat", "ids", "ids-file", "input"});
  run.inputKind = input.flag;
  run.mode = args.value("mode").value_or("parallel");
  if (run.mode != "step" && run.mode != "parallel")
    throw Error(ErrorKind::Usage, "--mode expects parallel or step, got '" + run.mode + "'");
  std::optional<int64_t> heads;
  if (auto h = args.integer("heads")) {
    if (*h <= 0)
      throw Error(ErrorKind::Usage, "--heads expects a positive number, got " + std::to_string(*h));
    heads = *h;
  }

  run.demo = positional.empty();
  run.path = run.demo ? demoOrUsageError("PATH") : positional[0];
  run.model = std::make_shared<const Model>(loadModel(run.path, heads));
  const Model& model = *run.model;
  const ModelInfo& info = model.info();
  const bool isModel = info.kind == ModelKind::Model;
  if (isModel && run.inputKind == "input") {
    throw Error(
        ErrorKind::Usage,
        run.path +
            " is a whole model: give text (--text, --text-file, --chat) or token ids (--ids, --ids-file); " +
            "--input is for a bare layer");
  }
  if (!isModel && run.inputKind != "input") {
    throw Error(ErrorKind::Usage, run.path +
                                      " is a bare MaxStateSuper layer: give its input as --input x.npy " +
                                      "(float32 [S, " + std::to_string(info.hidden) + "])");
  }
  if (validate) validate(info);

  // The vocabulary: --vocab, else the one beside the checkpoint (or the demo's), else raw ids (labels are
  // ids).
  if (isModel || args.has("vocab")) {
    VocabularyChoice vocabulary = chooseVocabulary(run.path, args.value("vocab"), info.vocabSize);
    run.vocabularyPath = vocabulary.path;
    run.vocabulary = std::move(vocabulary.vocabulary);
    run.defaultTokenizer = vocabulary.tokenizer;
  }

  if (!input.request) {
    run.inputPath = input.value;
    run.input = readNpyFloat(run.inputPath);
  } else {
    InputRequest request = *input.request;
    if (!request.tokenizer) request.tokenizer = run.defaultTokenizer;
    const EncodedInput encoded = encodeInput(request, run.vocabulary, info.vocabSize);
    run.tokenizer = encoded.tokenizer;
    run.ids = encoded.ids;
    run.labels = run.vocabulary.labels(encoded.ids);
  }
  return run;
}

TracedRun runFromArguments(const Args& args, const std::function<void(const ModelInfo&)>& validate) {
  TracedRun run = loadFromArguments(args, validate);
  TraceOptions options;
  if (run.mode == "step") options.mode = RunMode::Step;
  if (run.inputKind == "input") {
    try {
      run.trace = run.model->traceInput(run.input, options);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::Shape && e.kind() != ErrorKind::Usage) throw;
      rethrowFor(run.inputPath, e, ErrorKind::BadFile);
    }
    for (int64_t p = 0; p < run.trace->length(); ++p) run.labels.push_back(std::to_string(p));
  } else {
    run.trace = run.model->trace(run.ids, options);
  }
  return run;
}

nlohmann::ordered_json describeRun(const TracedRun& run) {
  nlohmann::ordered_json describe;
  describe["model"] = {{"path", run.path}};
  describe["input"] = run.inputKind;
  describe["tokenizer"] =
      run.tokenizer ? nlohmann::ordered_json(tokenizerName(*run.tokenizer)) : nlohmann::ordered_json();
  describe["vocabulary"] =
      run.vocabularyPath ? nlohmann::ordered_json{{"path", *run.vocabularyPath},
                                                  {"format", vocabularyFormatName(run.vocabulary.format())}}
                         : nlohmann::ordered_json();
  return describe;
}

}  // namespace maxstate::cli
