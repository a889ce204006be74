#pragma once
// One input path for the explorer and every command: which vocabulary belongs to a checkpoint, and how what
// the user gives (text, a text file, a chat, ids, an id file) becomes validated token ids. The CLI's input
// flags and the explorer's Input panel both end here, so they tokenise alike.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "maxstate/tokenizer.h"
#include "maxstate/vocabulary.h"

namespace maxstate {

enum class InputKind {
  Text,      // `value` is UTF-8 text
  TextFile,  // `value` is the path of a UTF-8 text file
  Chat,      // `value` is a conversation as JSON text (chat.h)
  ChatFile,  // `value` is the path of such a JSON file
  Ids,       // `value` is an id list as typed: "1, 2 3" or "[1, 2, 3]"
  IdsFile,   // `value` is the path of an integer .npy of shape [S] (or [1, S]), or a text file of ids
};
// The CLI flag of each kind: "text", "text-file", "chat", "chat" (file), "ids", "ids-file".
const char* inputKindName(InputKind kind);

struct InputRequest {
  InputKind kind = InputKind::Text;
  std::string value;
  std::optional<Tokenizer> tokenizer;  // for text and chats; unset: defaultTokenizer(vocabulary)
};

struct EncodedInput {
  std::vector<int64_t> ids;
  std::optional<Tokenizer> tokenizer;  // the tokeniser used (text and chats only)
};

// The ids of an input. `modelVocabSize` (models: the embedding's rows) bounds every id. Throws Error(Usage)
// for typed input that cannot be used (empty, not ids, not UTF-8, an id outside the vocabulary, text without
// a vocabulary) and Error(BadFile) naming the file for files that cannot be used.
EncodedInput encodeInput(const InputRequest& request, const Vocabulary& vocabulary,
                         std::optional<int64_t> modelVocabSize = std::nullopt);

// The vocabulary files looked for beside a checkpoint, in order: <name>.vocab.json (name without the
// extension), open_ash_voc_agent.json, vocab.json, vocabulary.json.
std::vector<std::string> vocabularyCandidates(const std::string& checkpointPath);
// The demo manifest's vocabulary for a demo checkpoint, else the first candidate that exists, or "" when
// none.
std::string findVocabularyFor(const std::string& checkpointPath);

struct VocabularyChoice {
  std::optional<std::string> path;  // unset: no vocabulary (raw ids)
  Vocabulary vocabulary;
  // The tokeniser text takes when none is asked for: the one a demo's manifest names for its texts (the
  // English demo was trained on longest-match tokens), else defaultTokenizer(vocabulary).
  Tokenizer tokenizer = Tokenizer::Longest;
};
// `explicitPath` (--vocab) wins; else findVocabularyFor(checkpointPath); else raw ids. With `modelVocabSize`,
// checks the vocabulary fits the model (Error(Usage) otherwise). Error(BadFile) for a file that is not a
// vocabulary.
VocabularyChoice chooseVocabulary(const std::string& checkpointPath,
                                  const std::optional<std::string>& explicitPath,
                                  std::optional<int64_t> modelVocabSize = std::nullopt);

}  // namespace maxstate
