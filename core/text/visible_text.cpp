// Labels must stay on one line and show what is there: a token of three spaces is not an empty box.
#include <string>

#include "maxstate/vocabulary.h"
#include "text/utf8.h"

namespace maxstate {
namespace {

// Characters that render as nothing (or as an ordinary-looking space) in a label.
bool isInvisible(char32_t c) {
  return (c >= 0x80 && c <= 0xA0) || c == 0xAD || c == 0x1680 || (c >= 0x2000 && c <= 0x200F) ||
         (c >= 0x2028 && c <= 0x202F) || (c >= 0x205F && c <= 0x206F) || c == 0x3000 || c == 0xFEFF;
}

}  // namespace

std::string visibleText(std::string_view s) {
  if (s.empty()) return "\u2205";  // ∅
  std::string out;
  for (size_t pos = 0; pos < s.size();) {
    const size_t n = utf8::sequenceLength(s, pos);
    if (n == 0) {  // not from a vocabulary file (those are checked), but never print broken bytes
      out += "\uFFFD";
      ++pos;
      continue;
    }
    const char32_t c = utf8::decode(s, pos, n);
    if (c == ' ') {
      out += "\u2423";  // ␣
    } else if (c == '\n') {
      out += "\u21B5";  // ↵
    } else if (c == '\t') {
      out += "\u21E5";  // ⇥
    } else if (c < 0x20) {
      out += utf8::encode(0x2400 + c);  // control pictures: ␀ ... ␟ (␍ for a carriage return)
    } else if (c == 0x7F) {
      out += "\u2421";  // ␡
    } else if (isInvisible(c)) {
      out += "<" + utf8::codePointName(c) + ">";
    } else {
      out.append(s, pos, n);
    }
    pos += n;
  }
  return out;
}

}  // namespace maxstate
