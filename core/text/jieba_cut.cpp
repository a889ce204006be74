// Tokenizer.cut, the block level: re_han_default splits the text into runs of
// [\u4E00-\u9FD5a-zA-Z0-9+#&._%-] (cut by the dictionary route) and everything else. Outside the runs every
// character is a word of its own, except "\r\n", which re_skip_default "(\r\n|\s)" keeps together: whitespace
// pieces are yielded whole (one character, or \r\n) and the others character by character.
#include "text/jieba_cut.h"

#include "maxstate/error.h"
#include "maxstate/jieba.h"
#include "text/code_points.h"

namespace maxstate {
namespace jieba {
namespace {

bool inHanDefault(char32_t c) {
  if (c >= 0x4E00 && c <= 0x9FD5) return true;
  if (c >= 0x80) return false;
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '#' ||
         c == '&' || c == '.' || c == '_' || c == '%' || c == '-';
}

}  // namespace

void cut(const Data& d, std::u32string_view s, Spans& out) {
  const auto n = static_cast<uint32_t>(s.size());
  for (uint32_t i = 0; i < n;) {
    if (inHanDefault(s[i])) {
      uint32_t j = i + 1;
      while (j < n && inHanDefault(s[j])) ++j;
      cutBlock(d, s, i, j, out);
      i = j;
    } else {
      const uint32_t len = s[i] == '\r' && i + 1 < n && s[i + 1] == '\n' ? 2 : 1;
      out.push_back({i, i + len});
      i += len;
    }
  }
}

}  // namespace jieba

std::vector<std::string> jiebaCut(std::string_view utf8) {
  const CodePoints text = CodePoints::decode(utf8);
  jieba::Spans spans;
  jieba::cut(jieba::data(), text.codePoints(), spans);
  std::vector<std::string> words;
  words.reserve(spans.size());
  for (const jieba::Span& w : spans) words.emplace_back(text.bytes(utf8, w.begin, w.end));
  return words;
}

void loadJiebaDictionary() { jieba::data(); }
std::string jiebaDataPath() { return jieba::dataPath(); }

}  // namespace maxstate
