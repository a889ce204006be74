#pragma once
// Text -> ids, by one of two tokenisers:
// - openash: OpenASH's own encoder (SPEC.md 4.1), what its models were trained on: jieba.lcut(text) (see
//   jieba.h), then per word its token id, else its proxy ids, else character by character -- a character that
//   is a token adds its id at once, a proxied character its proxy ids and any other character the id 10
//   (OpenASH's
//   <|unk|>) to a holding list appended after the word's last character. The default for OpenASH
//   vocabularies.
// - longest: greedy longest match over the vocabulary's tokens and proxied characters (Vocabulary::encode).
// The
//   default for other vocabularies.
// Both read specials typed in the text as text; specials come from the chat template (chat.h) or from ids.
#include <cstdint>
#include <string_view>
#include <vector>

#include "maxstate/vocabulary.h"

namespace maxstate {

enum class Tokenizer { OpenAsh, Longest };

const char* tokenizerName(Tokenizer t);  // "openash", "longest"
// "openash" / "longest" -> the tokeniser; throws Error(Usage) naming the choices otherwise.
Tokenizer parseTokenizer(std::string_view name);
// OpenAsh for OpenASH-format vocabularies (those with the agent maps), Longest otherwise.
Tokenizer defaultTokenizer(const Vocabulary& vocabulary);

// The ids of a UTF-8 text. Throws Error(Usage) for text that is not UTF-8, and for a character the vocabulary
// cannot represent when it has no unknown token (openash on an OpenASH vocabulary always has: id 10);
// Error(BadFile) when openash needs jieba's data file and it is missing. Raw ids (no vocabulary): the text is
// parsed as an id list whatever the tokeniser.
std::vector<int64_t> tokenize(const Vocabulary& vocabulary, std::string_view utf8, Tokenizer tokenizer);
std::vector<int64_t> tokenize(const Vocabulary& vocabulary, std::string_view utf8);  // the default tokeniser

}  // namespace maxstate
