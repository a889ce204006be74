// OpenASH's encoder (SPEC.md 4.1) and the choice between the tokenisers.
#include <string>

#include "maxstate/error.h"
#include "maxstate/tokenizer.h"
#include "text/code_points.h"
#include "text/jieba_cut.h"
#include "text/utf8.h"
#include "text/vocabulary_data.h"

namespace maxstate {
namespace {

// OpenASH's encoder writes 10 for what it cannot code: its <|unk|>, by number (the models learnt that id).
constexpr int64_t kOpenAshUnknown = 10;

void append(std::vector<int64_t>& ids, const TokenIds& t) {
  ids.insert(ids.end(), t.id.begin(), t.id.begin() + t.count);
}

class Encoder {
 public:
  explicit Encoder(const Vocabulary::Data& d) : m_d(d) {
    if (d.format == VocabularyFormat::OpenAsh)
      m_unknown = kOpenAshUnknown;
    else
      m_unknown = d.unknown;
  }

  void word(std::string_view w, std::vector<int64_t>& ids) {
    m_key.assign(w);
    if (const auto it = m_d.ids.find(m_key); it != m_d.ids.end()) {
      ids.push_back(it->second);
      return;
    }
    if (const auto it = m_d.proxyIds.find(m_key); it != m_d.proxyIds.end()) {
      append(ids, it->second);
      return;
    }
    // Character by character: tokens go out at once, the rest waits for the end of the word (the quirk the
    // models were trained on).
    m_held.clear();
    for (size_t pos = 0; pos < w.size();) {
      const size_t n = utf8::sequenceLength(w, pos);
      m_key.assign(w.substr(pos, n));
      if (const auto it = m_d.ids.find(m_key); it != m_d.ids.end()) {
        ids.push_back(it->second);
      } else if (const auto p = m_d.proxyIds.find(m_key); p != m_d.proxyIds.end()) {
        append(m_held, p->second);
      } else if (m_unknown) {
        m_held.push_back(*m_unknown);
      } else {
        throw Error(ErrorKind::Usage, "character " + visibleText(m_key) + " (" +
                                          utf8::codePointName(utf8::decode(w, pos, n)) +
                                          ") is not in vocabulary " + m_d.source +
                                          ", which has no <|unk|> token to stand for it");
      }
      pos += n;
    }
    ids.insert(ids.end(), m_held.begin(), m_held.end());
  }

 private:
  const Vocabulary::Data& m_d;
  std::optional<int64_t> m_unknown;
  std::string m_key;
  std::vector<int64_t> m_held;
};

std::vector<int64_t> encodeOpenAsh(const Vocabulary::Data& d, std::string_view utf8) {
  const CodePoints text = CodePoints::decode(utf8);
  jieba::Spans words;
  jieba::cut(jieba::data(), text.codePoints(), words);
  std::vector<int64_t> ids;
  ids.reserve(words.size() * 2);
  Encoder encoder(d);
  for (const jieba::Span& w : words) encoder.word(text.bytes(utf8, w.begin, w.end), ids);
  return ids;
}

}  // namespace

const char* tokenizerName(Tokenizer t) { return t == Tokenizer::OpenAsh ? "openash" : "longest"; }

Tokenizer parseTokenizer(std::string_view name) {
  if (name == "openash") return Tokenizer::OpenAsh;
  if (name == "longest") return Tokenizer::Longest;
  throw Error(ErrorKind::Usage,
              "unknown tokeniser \"" + std::string(name) +
                  "\": choose openash (OpenASH's jieba encoder) or longest (longest match)");
}

Tokenizer defaultTokenizer(const Vocabulary& v) {
  return v.format() == VocabularyFormat::OpenAsh ? Tokenizer::OpenAsh : Tokenizer::Longest;
}

std::vector<int64_t> tokenize(const Vocabulary& v, std::string_view utf8, Tokenizer t) {
  if (v.format() == VocabularyFormat::RawIds || t == Tokenizer::Longest) return v.encode(utf8);
  return encodeOpenAsh(v.data(), utf8);
}

std::vector<int64_t> tokenize(const Vocabulary& v, std::string_view utf8) {
  return tokenize(v, utf8, defaultTokenizer(v));
}

}  // namespace maxstate
