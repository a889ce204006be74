#pragma once
// A UTF-8 text as code points (what Python's str indexes), with the byte offset of each, so that ranges of
// code points map back to the original bytes.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace maxstate {

class CodePoints {
 public:
  // Throws Error(Usage) naming the byte where `utf8` stops being valid UTF-8.
  static CodePoints decode(std::string_view utf8);

  std::u32string_view codePoints() const { return m_codePoints; }
  // The bytes of code points [begin, end) in the text this was decoded from.
  std::string_view bytes(std::string_view utf8, uint32_t begin, uint32_t end) const {
    return utf8.substr(m_offsets[begin], m_offsets[end] - m_offsets[begin]);
  }

 private:
  std::u32string m_codePoints;
  std::vector<uint32_t> m_offsets;  // one per code point, plus the end
};

}  // namespace maxstate
