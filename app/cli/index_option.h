#pragma once
// The `all|N` options every command shares (`--layer all|N`, `--head all|N`): one parser, so that each option
// accepts the same spellings and says the same thing when a value is wrong.
#include <string>
#include <vector>

namespace maxstate::cli {

// "all" -> 0..count-1; a whole number N (digits, optionally a leading '-') -> {N} when 0 <= N < count.
// Anything else throws Error(Usage) naming --option and, out of range, the valid indices: `noun` is what an
// index counts ("layer", "head").
std::vector<int> parseAllOrIndex(const std::string& option, const std::string& value, int count,
                                 const std::string& noun);

}  // namespace maxstate::cli
