#include "text/token_trie.h"

namespace maxstate {

void TokenTrie::insert(std::string_view token, const TokenIds& ids) {
  if (token.empty()) return;
  uint32_t node = 0;
  for (const char ch : token) {
    const auto [it, added] = m_children.try_emplace(edge(node, static_cast<unsigned char>(ch)),
                                                    static_cast<uint32_t>(m_valueOf.size()));
    if (added) m_valueOf.push_back(-1);
    node = it->second;
  }
  if (m_valueOf[node] < 0) {
    m_valueOf[node] = static_cast<int32_t>(m_values.size());
    m_values.push_back(ids);
  } else {
    m_values[static_cast<size_t>(m_valueOf[node])] = ids;
  }
}

std::pair<size_t, const TokenIds*> TokenTrie::longest(std::string_view text, size_t pos) const {
  std::pair<size_t, const TokenIds*> best{0, nullptr};
  uint32_t node = 0;
  for (size_t i = pos; i < text.size(); ++i) {
    const auto it = m_children.find(edge(node, static_cast<unsigned char>(text[i])));
    if (it == m_children.end()) break;
    node = it->second;
    if (m_valueOf[node] >= 0) best = {i + 1 - pos, &m_values[static_cast<size_t>(m_valueOf[node])]};
  }
  return best;
}

}  // namespace maxstate
