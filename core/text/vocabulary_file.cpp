// Reading vocabulary files. A file is untrusted input: every id, key and cross-reference is checked here,
// once, so that encoding and decoding never meet an inconsistency later.
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_set>

#include "maxstate/error.h"
#include "text/vocabulary_data.h"
#include "util/read_file.h"

namespace maxstate {
namespace {

using nlohmann::json;

// Far above any real vocabulary (the published OpenASH one has 23005 ids); keeps a hostile id from making us
// allocate a table of 2^63 entries.
constexpr int64_t kMaxId = (int64_t{1} << 24) - 1;

std::string quote(const std::string& s) { return json(s).dump(); }

std::string kindOf(const json& v) {
  if (v.is_string()) return "the string " + quote(v.get<std::string>());
  if (v.is_number()) return "the number " + v.dump();
  return std::string("a JSON ") + v.type_name();
}

// Digits of a canonical non-negative decimal ("0", "17"; not "017", "+1", "1.0").
std::optional<int64_t> parseDecimal(std::string_view s) {
  if (s.empty() || s.size() > 18 || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

bool looksSpecial(const std::string& t) {
  return t.size() >= 3 && t.front() == '<' && t.back() == '>' &&
         t.find_first_of(" \t\r\n") == std::string::npos;
}
bool isChatSpecial(const std::string& t) {  // <|...|>: special wherever it sits
  return t.size() >= 5 && t.rfind("<|", 0) == 0 && t.compare(t.size() - 2, 2, "|>") == 0 && looksSpecial(t);
}

Piece parsePiece(const std::string& t) {
  static const std::pair<const char*, PieceKind> prefixes[] = {{"ts", PieceKind::TS},
                                                               {"te", PieceKind::TE},
                                                               {"rs", PieceKind::RS},
                                                               {"rc", PieceKind::RC},
                                                               {"re", PieceKind::RE}};
  for (const auto& [prefix, kind] : prefixes) {
    if (t.size() > 2 && t.compare(0, 2, prefix) == 0 &&
        t.find_first_not_of("0123456789", 2) == std::string::npos)
      return {kind, t.substr(2)};
  }
  return {};
}

// "{i}t{j}" -> {i, j}; "{i}t{j}r{k}" -> {i, j, k}; anything else -> {}.
std::vector<std::string> splitProxyKey(const std::string& key) {
  std::vector<std::string> parts;
  size_t pos = 0;
  for (const char sep : {'t', 'r', '\0'}) {
    const size_t end = sep ? key.find(sep, pos) : key.size();
    const bool last = end == std::string::npos;
    const std::string part = key.substr(pos, last ? std::string::npos : end - pos);
    if (part.empty() || part.find_first_not_of("0123456789") != std::string::npos) return {};
    parts.push_back(part);
    if (last || sep == '\0') break;
    pos = end + 1;
  }
  return parts.size() >= 2 ? parts : std::vector<std::string>{};
}

class Builder {
 public:
  explicit Builder(std::string source) { m_d.source = std::move(source); }

  Vocabulary::Data build(const json& root) {
    if (root.is_array()) {
      m_d.format = VocabularyFormat::Plain;
      readTokenList(root);
    } else if (root.is_object() && root.contains("token_to_id")) {
      const bool agent = root.contains("agent_token_to_token_id") || root.contains("agent_token_id_to_token");
      m_d.format = agent ? VocabularyFormat::OpenAsh : VocabularyFormat::Plain;
      readTokenToId(root["token_to_id"]);
      if (root.contains("id_to_token")) checkIdToToken(root["id_to_token"]);
    } else if (root.is_object() && !root.empty() &&
               std::all_of(root.begin(), root.end(), [](const json& v) { return v.is_number_integer(); })) {
      m_d.format = VocabularyFormat::Plain;  // a bare {token: id}, as in many vocab.json files
      readTokenToId(root);
    } else {
      std::string found = std::string("a JSON ") + root.type_name();
      if (root.is_object()) {
        found = "an object with keys";
        int n = 0;
        for (auto it = root.begin(); it != root.end() && n < 6; ++it, ++n)
          found += (n ? ", " : " ") + quote(it.key());
        if (root.empty()) found = "an empty object";
      }
      bad("expected a JSON list of tokens, or an object with \"token_to_id\" (OpenASH's layout); found " +
          found);
    }
    if (m_d.ids.empty()) bad("it has no tokens");
    m_d.pieces.assign(m_d.tokens.size(), Piece{});
    markSpecials();
    if (m_d.format == VocabularyFormat::OpenAsh) {
      markPieces();
      readProxies(root);
    }
    for (const auto& [token, id] :
         m_d.ids)  // after the proxied characters: a real token wins over a proxy group
      if (m_d.pieces[static_cast<size_t>(id)].kind == PieceKind::None)
        m_d.matcher.insert(token, TokenIds{{id}, 1});
    for (const char* unk : {"<|unk|>", "<unk>", "[UNK]"}) {
      const auto it = m_d.ids.find(unk);
      if (it != m_d.ids.end()) {
        m_d.unknown = it->second;
        break;
      }
    }
    return std::move(m_d);
  }

 private:
  [[noreturn]] void bad(const std::string& what) const {
    throw Error(ErrorKind::BadFile, "vocabulary " + m_d.source + ": " + what);
  }

  void addToken(const std::string& token, int64_t id) {
    if (m_d.tokens.size() <= static_cast<size_t>(id)) m_d.tokens.resize(static_cast<size_t>(id) + 1);
    auto& slot = m_d.tokens[static_cast<size_t>(id)];
    if (slot)
      bad("ids must be unique, but " + quote(*slot) + " and " + quote(token) + " both have id " +
          std::to_string(id));
    const auto [it, added] = m_d.ids.emplace(token, id);
    if (!added)
      bad("token " + quote(token) + " appears twice (ids " + std::to_string(it->second) + " and " +
          std::to_string(id) + ")");
    slot = token;
  }

  void readTokenList(const json& list) {
    if (static_cast<int64_t>(list.size()) > kMaxId + 1) bad("it has more than 2^24 tokens");
    for (size_t i = 0; i < list.size(); ++i) {
      if (!list[i].is_string())
        bad("entry " + std::to_string(i) + " of the token list is " + kindOf(list[i]) +
            ", not a token string");
      addToken(list[i].get<std::string>(), static_cast<int64_t>(i));
    }
  }

  void readTokenToId(const json& map) {
    if (!map.is_object()) bad("\"token_to_id\" must be an object {token: id}, not " + kindOf(map));
    for (auto it = map.begin(); it != map.end(); ++it) {
      const json& v = it.value();
      const std::string where = "token_to_id[" + quote(it.key()) + "]";
      if (!v.is_number_integer()) bad(where + " is " + kindOf(v) + ", not an integer id");
      const bool negative = !v.is_number_unsigned() && v.get<int64_t>() < 0;
      if (negative || v.get<uint64_t>() > static_cast<uint64_t>(kMaxId))
        bad(where + " is " + v.dump() + ": ids must be between 0 and " + std::to_string(kMaxId));
      addToken(it.key(), v.get<int64_t>());
    }
  }

  // OpenASH writes both directions; they must agree, or decoding and encoding would disagree.
  void checkIdToToken(const json& map) {
    if (!map.is_object()) bad("\"id_to_token\" must be an object {\"id\": token}, not " + kindOf(map));
    for (auto it = map.begin(); it != map.end(); ++it) {
      const std::string where = "id_to_token[" + quote(it.key()) + "]";
      const auto id = parseDecimal(it.key());
      if (!id) bad("id_to_token has the key " + quote(it.key()) + ", which is not an id (a decimal number)");
      if (!it.value().is_string()) bad(where + " is " + kindOf(it.value()) + ", not a token string");
      const std::string token = it.value().get<std::string>();
      const auto found = m_d.ids.find(token);
      if (found == m_d.ids.end()) bad(where + " is " + quote(token) + ", which token_to_id does not have");
      if (found->second != *id)
        bad(where + " is " + quote(token) + ", but token_to_id[" + quote(token) + "] is " +
            std::to_string(found->second));
    }
    if (map.size() != m_d.ids.size())
      bad("id_to_token has " + std::to_string(map.size()) + " ids but token_to_id has " +
          std::to_string(m_d.ids.size()) + " tokens: they must describe the same vocabulary");
  }

  // Specials: <|...|> anywhere, and the leading block of <...> tokens (OpenASH puts <tool_call> etc. there).
  void markSpecials() {
    m_d.special.assign(m_d.tokens.size(), false);
    bool leading = true;
    for (size_t id = 0; id < m_d.tokens.size(); ++id) {
      const auto& t = m_d.tokens[id];
      leading = leading && t && looksSpecial(*t);
      m_d.special[id] = t && (leading || isChatSpecial(*t));
    }
  }

  // As OpenASH decides it: the proxy pieces start at ts0 (or rs0) and run to the end.
  void markPieces() {
    int64_t first = -1;
    for (const char* start : {"ts0", "rs0"}) {
      const auto it = m_d.ids.find(start);
      if (it != m_d.ids.end() && (first < 0 || it->second < first)) first = it->second;
    }
    if (first < 0) return;
    for (size_t id = static_cast<size_t>(first); id < m_d.tokens.size(); ++id)
      if (m_d.tokens[id]) m_d.pieces[id] = parsePiece(*m_d.tokens[id]);
  }

  const json* stringMap(const json& root, const char* name) const {
    if (!root.contains(name)) return nullptr;
    const json& map = root[name];
    if (!map.is_object()) bad(quote(name) + " must be an object of strings, not " + kindOf(map));
    for (auto it = map.begin(); it != map.end(); ++it)
      if (!it.value().is_string() || it.value().get_ref<const std::string&>().empty())
        bad(std::string(name) + "[" + quote(it.key()) + "] is " + kindOf(it.value()) + ", not a character");
    return &map;
  }

  void readProxies(const json& root) {
    const json* byKey = stringMap(root, "agent_token_id_to_token");
    const json* byChar = stringMap(root, "agent_token_to_token_id");
    std::map<std::string, std::string> keyToChar;  // ordered: errors are reproducible
    std::unordered_map<std::string, std::string> charToKey;
    const auto add = [&](const std::string& key, const std::string& ch) {
      const auto [k, keyAdded] = keyToChar.emplace(key, ch);
      if (!keyAdded && k->second != ch)
        bad("proxy key " + quote(key) + " stands for both " + quote(k->second) + " and " + quote(ch));
      const auto [c, charAdded] = charToKey.emplace(ch, key);
      if (!charAdded && c->second != key)
        bad("character " + quote(ch) + " has two proxy keys, " + quote(c->second) + " and " + quote(key));
    };
    if (byKey)
      for (auto it = byKey->begin(); it != byKey->end(); ++it) add(it.key(), it.value().get<std::string>());
    if (byChar) {
      for (auto it = byChar->begin(); it != byChar->end(); ++it) {
        const std::string& key = it.value().get_ref<const std::string&>();
        if (byKey && !keyToChar.count(key))
          bad("agent_token_to_token_id maps " + quote(it.key()) + " to the key " + quote(key) +
              ", which agent_token_id_to_token does not have");
        add(key, it.key());
      }
      if (byKey && byKey->size() != byChar->size())
        bad("agent_token_id_to_token has " + std::to_string(byKey->size()) +
            " keys but agent_token_to_token_id has " + std::to_string(byChar->size()) +
            " characters: they must be inverse maps");
    }
    for (const auto& [key, ch] : keyToChar) addProxy(key, ch);
  }

  void addProxy(const std::string& key, const std::string& ch) {
    const std::vector<std::string> parts = splitProxyKey(key);
    if (parts.empty())
      bad("proxy key " + quote(key) + " (for " + quote(ch) + ") is neither \"{i}t{j}\" nor \"{i}t{j}r{k}\"");
    static const std::pair<const char*, PieceKind> two[] = {{"ts", PieceKind::TS}, {"te", PieceKind::TE}};
    static const std::pair<const char*, PieceKind> three[] = {
        {"rs", PieceKind::RS}, {"rc", PieceKind::RC}, {"re", PieceKind::RE}};
    const auto* names = parts.size() == 2 ? two : three;
    TokenIds ids;
    std::string needed;
    for (size_t i = 0; i < parts.size(); ++i) needed += std::string(i ? " " : "") + names[i].first + parts[i];
    for (size_t i = 0; i < parts.size(); ++i) {
      const std::string name = names[i].first + parts[i];
      const auto it = m_d.ids.find(name);
      if (it == m_d.ids.end())
        bad("proxy key " + quote(key) + " (for " + quote(ch) + ") is written as " + needed +
            ", but token_to_id has no " + name);
      if (m_d.pieces[static_cast<size_t>(it->second)].kind != names[i].second)
        bad("proxy key " + quote(key) + " needs " + name + " as a proxy id, but its id " +
            std::to_string(it->second) + " comes before ts0/rs0, where the proxy ids start");
      ids.id[i] = it->second;
    }
    ids.count = static_cast<int>(parts.size());
    m_d.proxyCharacter.emplace(key, ch);
    m_d.proxyIds.emplace(ch, ids);
    m_d.matcher.insert(ch, ids);
  }

  Vocabulary::Data m_d;
};

}  // namespace

Vocabulary Vocabulary::fromJson(std::string_view text, const std::string& name) {
  json root;
  try {
    root = json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {
    std::string why = e.what();
    if (const size_t p = why.find("] "); why.rfind("[json.exception", 0) == 0 && p != std::string::npos)
      why = why.substr(p + 2);  // keep "parse error at line 3, column 7: ..."
    throw Error(ErrorKind::BadFile, "vocabulary " + name + " is not valid JSON: " + why);
  }
  return Vocabulary(std::make_shared<const Data>(Builder(name).build(root)));
}

Vocabulary Vocabulary::load(const std::string& path) {
  return fromJson(detail::readUserFile(path, "vocabulary"), path);
}

}  // namespace maxstate
