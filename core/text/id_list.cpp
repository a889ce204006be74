// Bare id lists: what a user types or pastes when there is no vocabulary ("5, 17, 3" or "[5 17 3]").
#include <charconv>

#include "maxstate/error.h"
#include "maxstate/vocabulary.h"

namespace maxstate {

std::vector<int64_t> parseIdList(std::string_view text) {
  const auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  size_t begin = 0, end = text.size();
  while (begin < end && isSpace(text[begin])) ++begin;
  while (end > begin && isSpace(text[end - 1])) --end;
  if (begin < end && text[begin] == '[' && text[end - 1] == ']') ++begin, --end;
  std::vector<int64_t> ids;
  size_t pos = begin;
  bool afterComma = false;
  while (true) {
    while (pos < end && isSpace(text[pos])) ++pos;
    if (pos == end) {
      if (afterComma) throw Error(ErrorKind::Usage, "the id list ends with a comma: give ids like 1,2,3");
      break;
    }
    if (text[pos] == ',') {
      throw Error(ErrorKind::Usage, "empty item in the id list (item " + std::to_string(ids.size() + 1) +
                                        "): give ids like 1,2,3");
    }
    size_t stop = pos;
    while (stop < end && text[stop] != ',' && !isSpace(text[stop])) ++stop;
    const std::string_view item = text.substr(pos, stop - pos);
    int64_t id = 0;
    const auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), id);
    const std::string which = "\"" + std::string(item) + "\" (item " + std::to_string(ids.size() + 1) + ")";
    if (ec == std::errc::result_out_of_range)
      throw Error(ErrorKind::Usage, "token id " + which + " is too large");
    if (ec != std::errc() || ptr != item.data() + item.size())
      throw Error(
          ErrorKind::Usage,
          which + " is not a token id: give ids as integers separated by commas or spaces, e.g. 1,2,3");
    if (id < 0) throw Error(ErrorKind::Usage, "token id " + which + " is negative: ids start at 0");
    ids.push_back(id);
    pos = stop;
    while (pos < end && isSpace(text[pos])) ++pos;
    afterComma = pos < end && text[pos] == ',';
    if (afterComma) ++pos;
  }
  return ids;
}

}  // namespace maxstate
