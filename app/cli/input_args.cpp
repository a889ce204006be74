#include "cli/input_args.h"

#include <vector>

#include "maxstate/error.h"

namespace maxstate::cli {
namespace {

const std::vector<std::pair<const char*, std::optional<InputKind>>> kFlags = {
    {"text", InputKind::Text}, {"text-file", InputKind::TextFile}, {"chat", InputKind::ChatFile},
    {"ids", InputKind::Ids},   {"ids-file", InputKind::IdsFile},   {"input", std::nullopt},
};

// "--text, --ids or --input", in the flags' order.
std::string listOf(const std::set<std::string>& allowed) {
  std::vector<std::string> names;
  for (const auto& [flag, kind] : kFlags)
    if (allowed.count(flag)) names.push_back(std::string("--") + flag);
  std::string out;
  for (size_t i = 0; i < names.size(); ++i)
    out += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  return out;
}

}  // namespace

std::set<std::string> inputOptions(std::set<std::string> more) {
  for (const auto& [flag, kind] : kFlags) more.insert(flag);
  more.insert("tokenizer");
  return more;
}

CommandInput inputFromArgs(const Args& args, const std::set<std::string>& allowed) {
  CommandInput in;
  int given = 0;
  std::optional<InputKind> kind;
  for (const auto& [flag, k] : kFlags) {
    if (!args.has(flag)) continue;
    if (!allowed.count(flag))
      throw Error(ErrorKind::Usage,
                  std::string("--") + flag + " is not an input of this command: give " + listOf(allowed));
    ++given;
    in.flag = flag;
    kind = k;
  }
  if (given != 1)
    throw Error(ErrorKind::Usage,
                std::string(given ? "give only one" : "give one") + " input: " + listOf(allowed));
  in.value = *args.value(in.flag);
  if (kind) {
    InputRequest request;
    request.kind = *kind;
    request.value = in.value;
    in.request = request;
  }
  if (const auto t = args.value("tokenizer")) {
    const bool textual =
        kind == InputKind::Text || kind == InputKind::TextFile || kind == InputKind::ChatFile;
    if (!textual)
      throw Error(ErrorKind::Usage, "--tokenizer applies to text and chats (--text, --text-file, --chat)");
    in.request->tokenizer = parseTokenizer(*t);
  }
  return in;
}

}  // namespace maxstate::cli
