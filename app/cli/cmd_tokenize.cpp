// maxstate tokenize: text, a text file or a chat -> the ids the model sees and their labels, with the
// vocabulary found as every command finds it. Needs no model: runs in the executable, without LibTorch.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/input_args.h"
#include "maxstate/error.h"
#include "maxstate/input.h"
#include "maxstate/resources.h"

namespace maxstate::cli {
namespace {

const char* kUsage =
    "Usage: maxstate tokenize [PATH] [--vocab FILE] (--text STR | --text-file F | --chat F.json)\n"
    "                         [--tokenizer openash|longest] [--json]\n"
    "\n"
    "Prints the token ids a text (or a conversation) becomes, exactly as the model sees them, and their "
    "labels:\n"
    "one line per token, \"id<TAB>label\".\n"
    "\n"
    "  PATH             a checkpoint: its vocabulary is the one beside it (NAME.vocab.json,\n"
    "                   open_ash_voc_agent.json, vocab.json or vocabulary.json in its folder); without PATH\n"
    "                   and --vocab, the bundled demo's vocabulary\n"
    "  --vocab FILE     the vocabulary to use (wins over the one beside PATH)\n"
    "  --text STR       the text (UTF-8)\n"
    "  --text-file F    the text in a UTF-8 file\n"
    "  --chat F.json    a conversation: a JSON list of {\"role\", \"content\", ...} messages, encoded with\n"
    "                   OpenASH's chat template, ending with the assistant's turn opener\n"
    "  --tokenizer T    openash (OpenASH's own encoder: jieba words, then tokens, proxies, <|unk|>; the "
    "default\n"
    "                   for OpenASH vocabularies) or longest (longest match; the default for other ones)\n"
    "  --json           print exactly one JSON object: {\"ids\", \"labels\", \"tokenizer\", \"vocabulary\"}\n"
    "\n"
    "Exit status: 0 success, 1 a vocabulary, text or chat file that cannot be used (one line on stderr says\n"
    "why), 2 usage errors.\n";

// --vocab, else the vocabulary beside PATH, else the demo's.
VocabularyChoice vocabularyFor(const Args& args) {
  const auto& positional = args.positional();
  if (positional.size() > 1)
    throw Error(ErrorKind::Usage, "expected at most one PATH, got " + std::to_string(positional.size()));
  std::string path;
  if (!positional.empty()) {
    path = positional[0];
  } else if (!args.has("vocab")) {
    try {
      path = demoModelPath();
    } catch (const Error& e) {
      throw Error(ErrorKind::Usage, std::string("no PATH or --vocab given, and ") + e.what());
    }
  }
  VocabularyChoice choice = chooseVocabulary(path, args.value("vocab"));
  if (!choice.path)
    throw Error(ErrorKind::BadFile,
                "no vocabulary beside " + path + " (looked for NAME.vocab.json, " +
                    "open_ash_voc_agent.json, vocab.json, vocabulary.json): pass --vocab FILE");
  return choice;
}

int runTokenize(const std::vector<std::string>& argv) {
  const Args args(argv, inputOptions({"vocab"}), {"json"});
  const CommandInput input = inputFromArgs(args, {"text", "text-file", "chat"});
  const VocabularyChoice choice = vocabularyFor(args);
  const Vocabulary& vocabulary = choice.vocabulary;
  InputRequest request = *input.request;
  if (!request.tokenizer) request.tokenizer = choice.tokenizer;
  const EncodedInput encoded = encodeInput(request, vocabulary);
  const std::vector<std::string> labels = vocabulary.labels(encoded.ids);
  if (args.has("json")) {
    nlohmann::ordered_json j;
    j["ids"] = encoded.ids;
    j["labels"] = labels;
    j["tokenizer"] = tokenizerName(*encoded.tokenizer);
    j["vocabulary"] = *choice.path;
    std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return 0;
  }
  for (size_t i = 0; i < encoded.ids.size(); ++i) std::cout << encoded.ids[i] << '\t' << labels[i] << '\n';
  return 0;
}

}  // namespace

Command tokenizeCommand() {
  return {"tokenize", "text or a chat -> the ids the model sees, with their labels (no model run)", kUsage,
          runTokenize};
}

}  // namespace maxstate::cli
