#include "maxstate/vocabulary.h"

#include "maxstate/error.h"
#include "text/utf8.h"
#include "text/vocabulary_data.h"

namespace maxstate {
namespace {

const char* const kReplacement = "\uFFFD";

// The complete proxy group starting at position p, if there is one: its size (2 or 3) and its character.
std::pair<int, const std::string*> proxyGroupAt(const Vocabulary::Data& d, const std::vector<int64_t>& ids,
                                                size_t p) {
  const auto pieceAt = [&](size_t i) -> const Piece* { return i < ids.size() ? d.piece(ids[i]) : nullptr; };
  const auto is = [&](size_t i, PieceKind k) { return pieceAt(i) && pieceAt(i)->kind == k; };
  std::string key;
  int size = 0;
  if (is(p, PieceKind::TS) && is(p + 1, PieceKind::TE)) {
    key = pieceAt(p)->number + "t" + pieceAt(p + 1)->number;
    size = 2;
  } else if (is(p, PieceKind::RS) && is(p + 1, PieceKind::RC) && is(p + 2, PieceKind::RE)) {
    key = pieceAt(p)->number + "t" + pieceAt(p + 1)->number + "r" + pieceAt(p + 2)->number;
    size = 3;
  }
  if (size == 0) return {0, nullptr};
  const auto it = d.proxyCharacter.find(key);
  return it == d.proxyCharacter.end() ? std::pair<int, const std::string*>{0, nullptr}
                                      : std::pair{size, &it->second};
}

std::string unknownLabel(int64_t id) { return kReplacement + std::to_string(id); }

}  // namespace

const char* vocabularyFormatName(VocabularyFormat f) {
  switch (f) {
    case VocabularyFormat::OpenAsh:
      return "openash";
    case VocabularyFormat::Plain:
      return "plain";
    case VocabularyFormat::RawIds:
      return "raw-ids";
  }
  return "?";
}

const char* tokenKindName(TokenKind k) {
  switch (k) {
    case TokenKind::Text:
      return "text";
    case TokenKind::Special:
      return "special";
    case TokenKind::ProxyStart:
      return "proxy-start";
    case TokenKind::ProxyContinue:
      return "proxy-continue";
    case TokenKind::ProxyBroken:
      return "proxy-broken";
    case TokenKind::Unknown:
      return "unknown";
    case TokenKind::Raw:
      return "raw";
  }
  return "?";
}

Vocabulary::Vocabulary() : m_data(std::make_shared<const Data>()) {}
Vocabulary::Vocabulary(std::shared_ptr<const Data> data) : m_data(std::move(data)) {}
Vocabulary Vocabulary::rawIds() { return Vocabulary(); }

VocabularyFormat Vocabulary::format() const { return m_data->format; }
const std::string& Vocabulary::source() const { return m_data->source; }
int64_t Vocabulary::size() const { return static_cast<int64_t>(m_data->tokens.size()); }
std::optional<int64_t> Vocabulary::unknownId() const { return m_data->unknown; }
int64_t Vocabulary::proxyCharacterCount() const {
  return static_cast<int64_t>(m_data->proxyCharacter.size());
}

std::optional<int64_t> Vocabulary::find(std::string_view token) const {
  const auto it = m_data->ids.find(std::string(token));
  return it == m_data->ids.end() ? std::nullopt : std::optional<int64_t>(it->second);
}

std::optional<std::string> Vocabulary::token(int64_t id) const {
  const std::string* t = m_data->token(id);
  return t ? std::optional<std::string>(*t) : std::nullopt;
}

std::vector<int64_t> Vocabulary::encode(std::string_view text) const {
  const Data& d = *m_data;
  if (d.format == VocabularyFormat::RawIds) return parseIdList(text);
  if (const size_t bad = utf8::firstInvalid(text); bad != std::string_view::npos)
    throw Error(ErrorKind::Usage,
                "the text is not valid UTF-8 (byte " + std::to_string(bad) + "): save it as UTF-8");
  std::vector<int64_t> ids;
  int64_t character = 0;  // code points before `pos`, for messages
  for (size_t pos = 0; pos < text.size();) {
    const auto [length, match] = d.matcher.longest(text, pos);
    if (match) {
      ids.insert(ids.end(), match->id.begin(), match->id.begin() + match->count);
      for (size_t i = pos; i < pos + length; ++i)
        character += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
      pos += length;
      continue;
    }
    const size_t n = utf8::sequenceLength(text, pos);
    if (!d.unknown) {
      const std::string ch(text.substr(pos, n));
      throw Error(ErrorKind::Usage, "character " + visibleText(ch) + " (" +
                                        utf8::codePointName(utf8::decode(text, pos, n)) + ", character " +
                                        std::to_string(character) + " of the text) is not in vocabulary " +
                                        d.source + ", which has no <|unk|> token to stand for it");
    }
    ids.push_back(*d.unknown);
    pos += n;
    ++character;
  }
  return ids;
}

std::vector<TokenInfo> Vocabulary::describe(const std::vector<int64_t>& ids) const {
  const Data& d = *m_data;
  std::vector<TokenInfo> out(ids.size());
  for (size_t p = 0; p < ids.size();) {
    TokenInfo& info = out[p];
    info.id = ids[p];
    info.groupStart = static_cast<int64_t>(p);
    if (d.format == VocabularyFormat::RawIds) {
      info.kind = TokenKind::Raw;
      info.text = info.label = std::to_string(info.id);
      ++p;
      continue;
    }
    const std::string* token = d.token(info.id);
    if (!token) {
      info.kind = TokenKind::Unknown;
      info.text = kReplacement;
      info.label = unknownLabel(info.id);
      ++p;
      continue;
    }
    if (const auto [size, ch] = proxyGroupAt(d, ids, p); ch) {
      info.kind = TokenKind::ProxyStart;
      info.text = *ch;
      info.label = visibleText(*ch);
      info.groupSize = size;
      for (size_t i = 1; i < static_cast<size_t>(size); ++i) {
        TokenInfo& next = out[p + i];
        next.id = ids[p + i];
        next.kind = TokenKind::ProxyContinue;
        next.label = kProxyContinueLabel;
        next.groupStart = static_cast<int64_t>(p);
        next.groupSize = size;
      }
      p += static_cast<size_t>(size);
      continue;
    }
    if (d.pieces[static_cast<size_t>(info.id)].kind != PieceKind::None) {
      info.kind = TokenKind::ProxyBroken;
      info.text = kReplacement;
      info.label = *token;
    } else if (d.special[static_cast<size_t>(info.id)]) {
      info.kind = TokenKind::Special;
      info.text = info.label = *token;
    } else {
      info.kind = TokenKind::Text;
      info.text = *token;
      info.label = visibleText(*token);
    }
    ++p;
  }
  return out;
}

std::string Vocabulary::decode(const std::vector<int64_t>& ids) const {
  if (m_data->format == VocabularyFormat::RawIds) {
    std::string out;
    for (size_t i = 0; i < ids.size(); ++i) out += (i ? " " : "") + std::to_string(ids[i]);
    return out;
  }
  std::string out;
  for (const TokenInfo& info : describe(ids)) out += info.text;
  return out;
}

std::vector<std::string> Vocabulary::labels(const std::vector<int64_t>& ids) const {
  std::vector<std::string> out;
  out.reserve(ids.size());
  for (TokenInfo& info : describe(ids)) out.push_back(std::move(info.label));
  return out;
}

std::string Vocabulary::tokenLabel(int64_t id) const {
  if (m_data->format == VocabularyFormat::RawIds) return std::to_string(id);
  const std::string* token = m_data->token(id);
  if (!token) return unknownLabel(id);
  return m_data->special[static_cast<size_t>(id)] ||
                 m_data->pieces[static_cast<size_t>(id)].kind != PieceKind::None
             ? *token
             : visibleText(*token);
}

void Vocabulary::checkFitsModel(int64_t modelVocabSize) const {
  if (m_data->format == VocabularyFormat::RawIds || size() <= modelVocabSize) return;
  throw Error(ErrorKind::Usage, "vocabulary " + m_data->source + " has " + std::to_string(size()) +
                                    " ids but the model embeds only " + std::to_string(modelVocabSize) +
                                    ": use the vocabulary the model was trained with");
}

}  // namespace maxstate
