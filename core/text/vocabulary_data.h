#pragma once
// What a loaded vocabulary holds, built once by vocabulary_file.cpp and only read afterwards.
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "maxstate/vocabulary.h"
#include "text/token_trie.h"

namespace maxstate {

// OpenASH's proxy pieces: ts{i} te{j} stand for key "{i}t{j}", rs{i} rc{j} re{k} for key "{i}t{j}r{k}".
enum class PieceKind : unsigned char { None, TS, TE, RS, RC, RE };

struct Piece {
  PieceKind kind = PieceKind::None;
  std::string number;  // the digits after the prefix, verbatim (keys are built from them as strings)
};

struct Vocabulary::Data {
  VocabularyFormat format = VocabularyFormat::RawIds;
  std::string source;
  std::vector<std::optional<std::string>> tokens;               // by id; ids the file does not use are empty
  std::unordered_map<std::string, int64_t> ids;                 // token -> id
  std::vector<bool> special;                                    // by id
  std::vector<Piece> pieces;                                    // by id (all None outside OpenASH files)
  std::unordered_map<std::string, std::string> proxyCharacter;  // proxy key -> character
  std::unordered_map<std::string, TokenIds> proxyIds;           // proxied character -> its 2 or 3 ids
  TokenTrie matcher;  // what text can match: tokens (not pieces) and proxied characters
  std::optional<int64_t> unknown;

  const Piece* piece(int64_t id) const {
    return id >= 0 && id < static_cast<int64_t>(pieces.size()) ? &pieces[static_cast<size_t>(id)] : nullptr;
  }
  const std::string* token(int64_t id) const {
    return id >= 0 && id < static_cast<int64_t>(tokens.size()) && tokens[static_cast<size_t>(id)]
               ? &*tokens[static_cast<size_t>(id)]
               : nullptr;
  }
};

}  // namespace maxstate
