#include "cli/index_option.h"

#include <charconv>

#include "maxstate/error.h"

namespace maxstate::cli {

std::vector<int> parseAllOrIndex(const std::string& option, const std::string& value, int count,
                                 const std::string& noun) {
  std::vector<int> out;
  if (value == "all") {
    for (int i = 0; i < count; ++i) out.push_back(i);
    return out;
  }
  // from_chars, unlike stoi, takes no leading blanks or '+' and reports a partial parse ("1x").
  long long n = 0;
  const char* end = value.data() + value.size();
  const auto [ptr, ec] = std::from_chars(value.data(), end, n);
  const bool number = !value.empty() && ptr == end && (ec == std::errc() || ec == std::errc::result_out_of_range);
  if (!number)
    throw Error(ErrorKind::Usage,
                "--" + option + " expects a " + noun + " number or 'all', got '" + value + "'");
  if (ec != std::errc() || n < 0 || n >= count) {
    const std::string has = count == 0   ? "no " + noun + "s"
                            : count == 1 ? "1 " + noun + ", 0"
                                         : std::to_string(count) + " " + noun + "s, 0.." + std::to_string(count - 1);
    throw Error(ErrorKind::Usage, "--" + option + " " + value + " does not exist: the model has " + has);
  }
  return {static_cast<int>(n)};
}

}  // namespace maxstate::cli
