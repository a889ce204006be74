#pragma once
// What `maxstate trace` and `maxstate export` share: PATH (or the demo model), one input (cli/input_args.h),
// --vocab, --heads and --mode, turned into a trace.
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cli/args.h"
#include "maxstate/tokenizer.h"
#include "maxstate/trace.h"
#include "maxstate/vocabulary.h"

namespace maxstate::cli {

// The options above, for Args' list of options that take a value.
std::set<std::string> runOptions(std::set<std::string> more);

struct TracedRun {
  std::string path;  // the checkpoint (the demo's when none was given)
  bool demo = false;
  std::string inputKind;  // the input flag: "text", "text-file", "chat", "ids", "ids-file" or "input"
  std::optional<Tokenizer> tokenizer;               // what text and chats were tokenised with
  Tokenizer defaultTokenizer = Tokenizer::Longest;  // the vocabulary's (or the demo's) when none is asked
  std::string mode;                                 // "parallel" or "step"
  std::optional<std::string> vocabularyPath;
  Vocabulary vocabulary;
  std::shared_ptr<const Model> model;  // what traced it (what-if runs rerun it)
  std::shared_ptr<const Trace> trace;  // keeps the model alive
  std::vector<std::string> labels;     // one display label per position
  std::vector<int64_t> ids;            // models: the input's token ids
  FloatArray input;                    // bare layers: the input [S, d] read from `inputPath`
  std::string inputPath;
};

// Throws Error(Usage) for wrong flags and Error(BadFile/Shape/...) for files that cannot be used.
// `validate` (optional) checks other options against the model before the (possibly long) run.
TracedRun runFromArguments(const Args& args, const std::function<void(const ModelInfo&)>& validate = {});
// The same up to the run: the model, the vocabulary and the input (ids, or a bare layer's input), `trace`
// unset, for commands that run the model their own way (`maxstate stats` streams it).
TracedRun loadFromArguments(const Args& args, const std::function<void(const ModelInfo&)>& validate = {});

// What was run, for meta.json: the model's path, the input flag, the tokeniser and the vocabulary.
nlohmann::ordered_json describeRun(const TracedRun& run);

}  // namespace maxstate::cli
