#include "cli/run_request.h"

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

std::vector<int64_t> readIdsFile(const std::string& path) {
  const IndexArray a = readNpyIndex(path);
  if (!(a.ndim() == 1 || (a.ndim() == 2 && a.dim(0) == 1)) || a.size() == 0) {
    throw Error(ErrorKind::BadFile, path + ": expected a non-empty 1-D array of token ids, got shape " +
                                        shapeToString(a.shape()));
  }
  return {a.data(), a.data() + a.size()};
}

}  // namespace

std::set<std::string> runOptions(std::set<std::string> more) {
  more.insert({"ids", "ids-file", "text", "input", "vocab", "heads", "mode"});
  return more;
}

TracedRun runFromArguments(const Args& args, const std::function<void(const ModelInfo&)>& validate) {
  const auto& positional = args.positional();
  if (positional.size() > 1) {
    throw Error(ErrorKind::Usage, "expected at most one PATH, got " + std::to_string(positional.size()) + ": " +
                                      positional[0] + ", " + positional[1] + (positional.size() > 2 ? ", ..." : ""));
  }
  TracedRun run;
  int inputs = 0;
  for (const char* name : {"ids", "ids-file", "text", "input"}) {
    if (args.has(name)) {
      ++inputs;
      run.inputKind = name;
    }
  }
  if (inputs != 1) {
    throw Error(ErrorKind::Usage,
                std::string(inputs ? "give only one" : "give one") + " input: --ids, --ids-file, --text or --input");
  }
  TraceOptions options;
  run.mode = args.value("mode").value_or("parallel");
  if (run.mode == "step")
    options.mode = RunMode::Step;
  else if (run.mode != "parallel")
    throw Error(ErrorKind::Usage, "--mode expects parallel or step, got '" + run.mode + "'");
  std::optional<int64_t> heads;
  if (auto h = args.integer("heads")) {
    if (*h <= 0) throw Error(ErrorKind::Usage, "--heads expects a positive number, got " + std::to_string(*h));
    heads = *h;
  }

  run.demo = positional.empty();
  run.path = run.demo ? demoOrUsageError("PATH") : positional[0];
  const Model model(loadModel(run.path, heads));
  const ModelInfo& info = model.info();
  const bool isModel = info.kind == ModelKind::Model;
  if (isModel && run.inputKind == "input") {
    throw Error(ErrorKind::Usage, run.path + " is a whole model: give token ids (--ids, --ids-file) or --text; " +
                                      "--input is for a bare layer");
  }
  if (!isModel && run.inputKind != "input") {
    throw Error(ErrorKind::Usage, run.path + " is a bare MaxStateSuper layer: give its input as --input x.npy " +
                                      "(float32 [S, " + std::to_string(info.hidden) + "])");
  }
  if (validate) validate(info);

  // The vocabulary: --vocab, else the demo's for the demo model, else raw ids (labels are the ids).
  run.vocabularyPath = args.value("vocab");
  if (!run.vocabularyPath && run.demo && isModel) run.vocabularyPath = demoOrUsageError("vocabulary");
  if (!run.vocabularyPath && run.inputKind == "text") {
    throw Error(ErrorKind::Usage, "--text needs the model's vocabulary: pass --vocab FILE");
  }
  run.vocabulary = run.vocabularyPath ? Vocabulary::load(*run.vocabularyPath) : Vocabulary::rawIds();
  if (run.vocabularyPath && isModel) run.vocabulary.checkFitsModel(*info.vocabSize);

  if (run.inputKind == "input") {
    const std::string file = *args.value("input");
    const FloatArray x = readNpyFloat(file);
    try {
      run.trace = model.traceInput(x, options);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::Shape && e.kind() != ErrorKind::Usage) throw;
      rethrowFor(file, e, ErrorKind::BadFile);
    }
    for (int64_t p = 0; p < run.trace->length(); ++p) run.labels.push_back(std::to_string(p));
  } else {
    std::vector<int64_t> ids;
    if (run.inputKind == "ids")
      ids = parseIdList(*args.value("ids"));
    else if (run.inputKind == "text")
      ids = run.vocabulary.encode(*args.value("text"));
    else
      ids = readIdsFile(*args.value("ids-file"));
    try {
      run.trace = model.trace(ids, options);
    } catch (const Error& e) {
      // Ids read from a file make the file unusable; ids typed on the command line are a usage error.
      if (run.inputKind != "ids-file" || e.kind() != ErrorKind::Usage) throw;
      rethrowFor(*args.value("ids-file"), e, ErrorKind::BadFile);
    }
    run.labels = run.vocabulary.labels(ids);
  }
  return run;
}

}  // namespace maxstate::cli
