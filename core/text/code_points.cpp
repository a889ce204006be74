#include "text/code_points.h"

#include "maxstate/error.h"
#include "text/utf8.h"

namespace maxstate {

CodePoints CodePoints::decode(std::string_view utf8) {
  if (utf8.size() >= UINT32_MAX)
    throw Error(ErrorKind::Usage, "the text is too long to tokenise (4 GB or more): split it");
  CodePoints out;
  out.m_codePoints.reserve(utf8.size());
  out.m_offsets.reserve(utf8.size() + 1);
  for (size_t pos = 0; pos < utf8.size();) {
    const size_t n = utf8::sequenceLength(utf8, pos);
    if (n == 0)
      throw Error(ErrorKind::Usage, "the text is not valid UTF-8 (byte " + std::to_string(pos) + " of " +
                                        std::to_string(utf8.size()) + "): save it as UTF-8");
    out.m_codePoints.push_back(utf8::decode(utf8, pos, n));
    out.m_offsets.push_back(static_cast<uint32_t>(pos));
    pos += n;
  }
  out.m_offsets.push_back(static_cast<uint32_t>(utf8.size()));
  return out;
}

}  // namespace maxstate
