// The text form of an edit (maxstate/whatif.h): parsed strictly, every field a plain decimal number.
#include <charconv>

#include "maxstate/error.h"
#include "maxstate/whatif.h"

namespace maxstate {
namespace {

const char* const kForms =
    "replace:P=ID, delete:P, insert:P=ID, knockout:P, knockout:P@L, knockout:P@L.H, zero-state:L.H@P, "
    "freeze-state:L.H@P, drop-term:L.H.Tk or drop-term:L.H.Tk@P";

[[noreturn]] void bad(const std::string& spec, const std::string& why) {
  throw Error(ErrorKind::Usage, "--edit '" + spec + "': " + why + " (expected " + kForms + ")");
}

// Splits `text` at the first `sep`: {before, after}; no `sep`: {text, none}.
std::pair<std::string, std::optional<std::string>> cut(const std::string& text, char sep) {
  const auto at = text.find(sep);
  if (at == std::string::npos) return {text, std::nullopt};
  return {text.substr(0, at), text.substr(at + 1)};
}

int64_t number(const std::string& spec, const std::string& text, const char* what) {
  int64_t value = -1;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value < 0 || text[0] == '+')
    bad(spec, std::string(what) + " '" + text + "' is not a number from 0 on");
  return value;
}

int smallNumber(const std::string& spec, const std::string& text, const char* what) {
  const int64_t v = number(spec, text, what);
  if (v > 1'000'000) bad(spec, std::string(what) + " " + text + " is far too large");
  return static_cast<int>(v);
}

// "L.H" -> layer, head.
void layerHead(const std::string& spec, const std::string& text, Edit& e) {
  const auto [layer, head] = cut(text, '.');
  if (!head) bad(spec, "'" + text + "' is not LAYER.HEAD");
  e.layer = smallNumber(spec, layer, "layer");
  e.head = smallNumber(spec, *head, "head");
}

}  // namespace

bool isTokenEdit(const Edit& e) {
  return e.kind == EditKind::Replace || e.kind == EditKind::Delete || e.kind == EditKind::Insert;
}

Edit parseEdit(const std::string& spec) {
  const auto [kind, rest] = cut(spec, ':');
  if (!rest) bad(spec, "no ':' after the kind of edit");
  Edit e;
  if (kind == "replace" || kind == "insert") {
    e.kind = kind == "replace" ? EditKind::Replace : EditKind::Insert;
    const auto [p, id] = cut(*rest, '=');
    if (!id) bad(spec, "no '=ID' after the position");
    e.position = number(spec, p, "position");
    e.token = number(spec, *id, "token id");
  } else if (kind == "delete") {
    e.kind = EditKind::Delete;
    e.position = number(spec, *rest, "position");
  } else if (kind == "knockout") {
    e.kind = EditKind::Knockout;
    const auto [p, where] = cut(*rest, '@');
    e.position = number(spec, p, "position");
    if (where) {
      const auto [layer, head] = cut(*where, '.');
      e.layer = smallNumber(spec, layer, "layer");
      if (head) e.head = smallNumber(spec, *head, "head");
    }
  } else if (kind == "zero-state" || kind == "freeze-state") {
    e.kind = kind == "zero-state" ? EditKind::ZeroState : EditKind::FreezeState;
    const auto [lh, p] = cut(*rest, '@');
    if (!p) bad(spec, "no '@P' (the position it starts at)");
    layerHead(spec, lh, e);
    e.position = number(spec, *p, "position");
  } else if (kind == "drop-term") {
    e.kind = EditKind::DropTerm;
    const auto [lht, p] = cut(*rest, '@');
    const auto dot = lht.rfind('.');
    if (dot == std::string::npos || lht.compare(dot + 1, 1, "T") != 0)
      bad(spec, "'" + lht + "' is not LAYER.HEAD.Tk");
    layerHead(spec, lht.substr(0, dot), e);
    e.term = smallNumber(spec, lht.substr(dot + 2), "term");
    if (e.term < 1 || e.term > 6) bad(spec, "term T" + std::to_string(e.term) + " does not exist (T1..T6)");
    e.position = p ? number(spec, *p, "position") : 0;
  } else {
    bad(spec, "unknown kind of edit '" + kind + "'");
  }
  return e;
}

std::string editSpec(const Edit& e) {
  const std::string p = std::to_string(e.position),
                    lh = std::to_string(e.layer) + "." + std::to_string(e.head);
  switch (e.kind) {
    case EditKind::Replace:
      return "replace:" + p + "=" + std::to_string(e.token);
    case EditKind::Insert:
      return "insert:" + p + "=" + std::to_string(e.token);
    case EditKind::Delete:
      return "delete:" + p;
    case EditKind::Knockout:
      if (e.layer < 0) return "knockout:" + p;
      return "knockout:" + p + "@" + (e.head < 0 ? std::to_string(e.layer) : lh);
    case EditKind::ZeroState:
      return "zero-state:" + lh + "@" + p;
    case EditKind::FreezeState:
      return "freeze-state:" + lh + "@" + p;
    case EditKind::DropTerm:
      return "drop-term:" + lh + ".T" + std::to_string(e.term) + "@" + p;
  }
  return {};
}

}  // namespace maxstate
