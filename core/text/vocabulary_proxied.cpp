// The proxied characters of a vocabulary (kept apart from vocabulary.cpp: only the explorer's font check
// needs them).
#include "maxstate/vocabulary.h"
#include "text/vocabulary_data.h"

namespace maxstate {

std::vector<std::string> Vocabulary::proxiedCharacters() const {
  std::vector<std::string> out;
  out.reserve(m_data->proxyCharacter.size());
  for (const auto& [key, character] : m_data->proxyCharacter) out.push_back(character);
  return out;
}

}  // namespace maxstate
