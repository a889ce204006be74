#pragma once
// Tokens (SPEC.md section 4): text <-> ids and a display label for every position, for OpenASH vocabularies
// (with their 2- and 3-id proxy groups for rare characters), plain token vocabularies, and bare id lists.
//
// Vocabulary files (Vocabulary::load tells them apart by their content):
// - OpenASH: {"token_to_id": {tok: id}, "id_to_token": {"id": tok}, "agent_token_to_token_id": {char: key},
//   "agent_token_id_to_token": {key: char}}. Key "{i}t{j}" is written as the ids of ts{i} te{j}, key
//   "{i}t{j}r{k}" as the ids of rs{i} rc{j} re{k}.
// - plain: a JSON list of tokens ["<|pad|>", "a", ...] (id = index); or {"token_to_id": {tok: id}} with an
//   optional "id_to_token" and no agent keys; or a bare {tok: id} object (as in many vocab.json files).
// Without a file (Vocabulary::rawIds()) text is a list of ids ("5, 17 3") and labels are the ids.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace maxstate {

enum class VocabularyFormat { OpenAsh, Plain, RawIds };
const char* vocabularyFormatName(VocabularyFormat f);  // "openash", "plain", "raw-ids"

enum class TokenKind {
  Text,           // an ordinary token
  Special,        // <|pad|>, <|im_start|>, <|unk|>, ... (the leading block of <...> tokens)
  ProxyStart,     // first id of a complete 2- or 3-id proxy group: carries the character
  ProxyContinue,  // a later id of that group
  ProxyBroken,    // a proxy id that is not part of a complete group with a known key
  Unknown,        // an id the vocabulary does not have
  Raw,            // no vocabulary
};
const char* tokenKindName(TokenKind k);  // "text", "special", "proxy-start", ...

// Label of the later positions of a proxy group (the first position shows the character).
inline constexpr const char* kProxyContinueLabel = "\u21B3";  // ↳

struct TokenInfo {
  int64_t id = 0;
  TokenKind kind = TokenKind::Text;
  std::string text;   // what this position adds to the decoded text; a group's character sits on its first id
  std::string label;  // one line for display: whitespace and control characters made visible
  int64_t groupStart = 0;  // first position of this position's proxy group (the position itself otherwise)
  int groupSize = 1;       // 2 or 3 inside a proxy group
};

class Vocabulary {
 public:
  Vocabulary();  // the same as rawIds()
  static Vocabulary rawIds();
  // Reads a vocabulary file and tells its format from its content. Throws Error(BadFile) naming the file and
  // what is wrong with it (not JSON, wrong layout, ids that contradict each other, a proxy key without its
  // ids).
  static Vocabulary load(const std::string& path);
  // The same from the file's content; `name` is used in messages.
  static Vocabulary fromJson(std::string_view json, const std::string& name);

  VocabularyFormat format() const;
  const std::string& source() const;         // the path or name it was read from; "" for raw ids
  int64_t size() const;                      // 1 + the largest id; 0 for raw ids
  std::optional<int64_t> unknownId() const;  // <|unk|> (also <unk>, [UNK]) if the vocabulary has one
  int64_t proxyCharacterCount() const;       // characters coded as proxy groups

  // Greedy longest match over the vocabulary's tokens (specials included, proxy pieces excluded) and its
  // proxied characters; a character nothing matches becomes <|unk|>. Throws Error(Usage) for text that is not
  // UTF-8, or for an unmatched character when there is no <|unk|>. Raw ids: parses the text with parseIdList.
  std::vector<int64_t> encode(std::string_view utf8) const;
  // Ids to text. Proxy groups become their character; broken proxy ids and unknown ids become U+FFFD.
  // Raw ids: the ids separated by spaces.
  std::string decode(const std::vector<int64_t>& ids) const;
  // Every position's kind, text, label and proxy group.
  std::vector<TokenInfo> describe(const std::vector<int64_t>& ids) const;
  std::vector<std::string> labels(const std::vector<int64_t>& ids) const;
  // Label of one id out of context, e.g. a predicted next token (a proxy piece shows its name, "ts3").
  std::string tokenLabel(int64_t id) const;

  std::optional<int64_t> find(std::string_view token) const;  // the id of a token as written in the file
  std::optional<std::string> token(int64_t id) const;         // the token of an id as written in the file
  // Every character the file codes as a proxy group, in no particular order (e.g. to check that fonts can
  // draw them: the token strip shows a group as its character).
  std::vector<std::string> proxiedCharacters() const;

  // Throws Error(Usage) when the vocabulary has ids the model cannot embed (size() > the model's rows).
  void checkFitsModel(int64_t modelVocabSize) const;

  struct Data;
  // What the tokenisers in core/text read (Data is defined there only: opaque to everyone else).
  const Data& data() const { return *m_data; }

 private:
  explicit Vocabulary(std::shared_ptr<const Data> data);
  std::shared_ptr<const Data> m_data;  // immutable: copies are cheap and safe to share between threads
};

// "1,2,3", "1 2 3", "[1, 2, 3]" -> ids. Throws Error(Usage) naming the first item that is not an id >= 0.
std::vector<int64_t> parseIdList(std::string_view text);

// One line for display: space -> ␣, newline -> ↵, tab -> ⇥, other control characters -> their control
// pictures (U+2400 block), other invisible or non-ASCII space characters -> <U+XXXX>; "" -> ∅.
std::string visibleText(std::string_view utf8);

}  // namespace maxstate
