#pragma once
// The strings text can match (tokens and proxied characters) in a byte trie, for greedy longest match in
// O(length of the longest token) per position.
#include <array>
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace maxstate {

// One token id, or the 2 or 3 ids of a proxy group.
struct TokenIds {
  std::array<int64_t, 3> id{};
  int count = 0;
};

class TokenTrie {
 public:
  // A later insertion of the same string replaces the earlier one. Empty strings are ignored (they would
  // match everywhere without consuming anything).
  void insert(std::string_view token, const TokenIds& ids);
  // The longest inserted string that `text` starts with at byte `pos`: its length in bytes (0 if none) and
  // its ids. Inserted strings are whole UTF-8 sequences, so a match of valid text ends on a character
  // boundary.
  std::pair<size_t, const TokenIds*> longest(std::string_view text, size_t pos) const;

 private:
  static uint64_t edge(uint32_t node, unsigned char byte) { return (uint64_t{node} << 8) | byte; }

  std::unordered_map<uint64_t, uint32_t> m_children;  // edge(node, byte) -> child node; node 0 is the root
  std::vector<int32_t> m_valueOf{-1};                 // per node: index into m_values, or -1
  std::vector<TokenIds> m_values;
};

}  // namespace maxstate
