// Every bundled demo: the main manifest's own demo (the default) and the subfolder demos its "demos" list
// names.
#include <filesystem>
#include <nlohmann/json.hpp>

#include "maxstate/error.h"
#include "maxstate/resources.h"
#include "util/demo_manifest.h"

namespace maxstate {
namespace {

namespace fs = std::filesystem;
using detail::Manifest;

std::vector<int64_t> idList(const Manifest& m, const nlohmann::json& list, const std::string& what) {
  if (!list.is_array()) m.bad(what + " is not a list of token ids");
  std::vector<int64_t> ids;
  ids.reserve(list.size());
  for (const auto& id : list) {
    if (!id.is_number_integer() || id.get<int64_t>() < 0)
      m.bad(what + " holds " + id.dump() + ", not a token id");
    ids.push_back(id.get<int64_t>());
  }
  return ids;
}

DemoInfo describe(const Manifest& m, const std::string& fallbackName) {
  DemoInfo d;
  d.dir = m.dir.string();
  try {
    d.name = m.json.value("name", fallbackName);
    d.title = m.json.value("title", d.name);
    d.tokenizer = m.json.value("tokenizer", std::string("longest"));
    d.trainLength = m.json.value("train_length", int64_t(0));
  } catch (const nlohmann::json::exception& e) {
    m.bad(std::string("a field has the wrong type (") + e.what() + ")");
  }
  d.modelPath = m.file("default_model", "model");
  d.vocabularyPath = m.file("vocabulary", "vocabulary");
  d.textPath = m.file("text", "text");
  d.longTextPath = m.optionalFile("long_text", "long text");
  d.longTextIdsPath = m.optionalFile("long_text_ids", "long text's ids");
  d.chatPath = m.optionalFile("chat", "chat");
  if (m.json.contains("text_ids")) d.textIds = idList(m, m.json["text_ids"], "\"text_ids\"");
  if (m.json.contains("chat_ids")) d.chatIds = idList(m, m.json["chat_ids"], "\"chat_ids\"");
  d.checkpoints = detail::checkpointList(m);
  return d;
}

}  // namespace

std::vector<DemoInfo> demos() {
  const Manifest top = detail::readManifest(demoDir());
  std::vector<DemoInfo> out{describe(top, "default")};
  if (!top.json.contains("demos")) return out;
  const nlohmann::json& more = top.json["demos"];
  if (!more.is_array()) top.bad("\"demos\" is not a list of folder names");
  for (const auto& entry : more) {
    // Plain folder names inside demo/: the manifest cannot point anywhere else.
    if (!entry.is_string() || entry.get<std::string>().empty() ||
        entry.get<std::string>().find('/') != std::string::npos || entry.get<std::string>() == "." ||
        entry.get<std::string>() == "..")
      top.bad("\"demos\" holds " + entry.dump() + ", not the name of a folder inside " + top.dir.string());
    const std::string folder = entry.get<std::string>();
    if (!fs::is_regular_file(top.dir / folder / "demo.json"))
      top.bad("the demo " + (top.dir / folder).string() + " it lists has no demo.json");
    out.push_back(describe(detail::readManifest(top.dir / folder), folder));
  }
  return out;
}

DemoInfo demo(const std::string& name) {
  std::string names;
  for (DemoInfo& d : demos()) {
    if (d.name == name) return std::move(d);
    names += (names.empty() ? "" : ", ") + d.name;
  }
  throw Error(ErrorKind::BadFile, "there is no demo called \"" + name + "\" (there are: " + names + ")");
}

}  // namespace maxstate
