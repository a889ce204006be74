#include "cli/diff_input.h"

#include "cli/index_option.h"
#include "cli/input_args.h"
#include "maxstate/architecture.h"
#include "maxstate/error.h"
#include "maxstate/input.h"
#include "maxstate/npy.h"

namespace maxstate::cli {
namespace {

const std::set<std::string> kInputs = {"text", "text-file", "chat", "ids", "ids-file", "input"};

}  // namespace

DiffRequest diffRequestFrom(const Args& args) {
  DiffRequest request;
  for (const auto& flag : kInputs) request.hasInput = request.hasInput || args.has(flag);
  if (request.hasInput) inputFromArgs(args, kInputs);  // the flags' own errors, before any loading
  for (const char* option : {"layer", "vocab", "tokenizer"}) {
    if (!request.hasInput && args.has(option)) {
      throw Error(ErrorKind::Usage, std::string("--") + option +
                                        " needs an input (--text, --ids, --input, ...): without one only "
                                        "the parameters are compared");
    }
  }
  if (auto h = args.integer("heads")) {
    if (*h <= 0)
      throw Error(ErrorKind::Usage, "--heads expects a positive number, got " + std::to_string(*h));
    request.heads = *h;
  }
  return request;
}

DiffRun loadDiffRun(const Args& args, const DiffRequest& request, const std::string& pathA,
                    const std::string& pathB) {
  const CommandInput input = inputFromArgs(args, kInputs);
  DiffRun run;
  run.a = std::make_shared<const Model>(loadModel(pathA, request.heads));
  run.b = std::make_shared<const Model>(loadModel(pathB, request.heads));
  const ModelInfo& info = run.a->info();
  const bool isModel = info.kind == ModelKind::Model;
  if (isModel && !input.request) {
    throw Error(ErrorKind::Usage, pathA + " is a whole model: give text (--text, --text-file, --chat) or " +
                                      "token ids (--ids, --ids-file); --input is for a bare layer");
  }
  if (!isModel && input.request) {
    throw Error(ErrorKind::Usage, pathA + " is a bare MaxStateSuper layer: give its input as --input x.npy " +
                                      "(float32 [S, " + std::to_string(info.hidden) + "])");
  }
  run.layers =
      parseAllOrIndex("layer", args.value("layer").value_or("all"), static_cast<int>(info.layers), "layer");
  if (!isModel) {
    run.input = readNpyFloat(input.value);
    return run;
  }
  const VocabularyChoice vocabulary = chooseVocabulary(pathA, args.value("vocab"), info.vocabSize);
  InputRequest r = *input.request;
  if (!r.tokenizer) r.tokenizer = vocabulary.tokenizer;
  run.ids = encodeInput(r, vocabulary.vocabulary, info.vocabSize).ids;
  return run;
}

}  // namespace maxstate::cli
