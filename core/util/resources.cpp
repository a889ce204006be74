#include "maxstate/resources.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "maxstate/error.h"
#include "util/demo_manifest.h"

namespace maxstate {
namespace detail {

namespace fs = std::filesystem;

std::string readDemoFile(const fs::path& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in || !fs::is_regular_file(path))
    throw Error(ErrorKind::BadFile,
                std::string("the demo ") + what + " " + path.string() +
                    " is missing: reinstall MaxState Explorer or rerun tools/train_demo.py");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Manifest::file(const char* key, const char* what) const {
  if (!json.contains(key) || !json[key].is_string())
    bad(std::string("it does not name the ") + what + " (\"" + key + "\")");
  return existing(json[key].get<std::string>(), what);
}

std::string Manifest::optionalFile(const char* key, const char* what) const {
  return json.contains(key) ? file(key, what) : std::string();
}

std::string Manifest::existing(const std::string& name, const char* what) const {
  const fs::path p = dir / name;
  if (name.empty() || name.find('/') != std::string::npos || !fs::is_regular_file(p))
    bad(std::string("the ") + what + " " + p.string() + " it names is missing");
  return p.string();
}

void Manifest::bad(const std::string& what) const {
  throw Error(ErrorKind::BadFile, "demo manifest " + (dir / "demo.json").string() + ": " + what +
                                      "; reinstall MaxState Explorer or rerun tools/train_demo.py");
}

Manifest readManifest(const fs::path& dir) {
  Manifest m;
  m.dir = dir;
  try {
    m.json = nlohmann::json::parse(readDemoFile(m.dir / "demo.json", "manifest"));
  } catch (const nlohmann::json::exception& e) {
    m.bad(std::string("not valid JSON (") + e.what() + ")");
  }
  if (!m.json.is_object()) m.bad("not a JSON object");
  return m;
}

std::vector<DemoCheckpoint> checkpointList(const Manifest& m) {
  const nlohmann::json& list = m.json.contains("checkpoints") ? m.json["checkpoints"] : nlohmann::json();
  if (!list.is_array()) m.bad("it has no \"checkpoints\" list");
  std::vector<DemoCheckpoint> out;
  for (const auto& entry : list) {
    try {
      DemoCheckpoint c;
      c.path = m.existing(entry.at("file").get<std::string>(), "checkpoint");
      c.variant = entry.at("variant").get<std::string>();
      c.step = entry.at("step").get<int64_t>();
      c.heads = entry.at("heads").get<int64_t>();
      c.demoTextLoss = entry.value("demo_text_loss", 0.0);
      out.push_back(std::move(c));
    } catch (const nlohmann::json::exception& e) {
      m.bad("checkpoint entry " + entry.dump() + " is incomplete (" + e.what() + ")");
    }
  }
  return out;
}

}  // namespace detail

namespace {

namespace fs = std::filesystem;
using detail::Manifest;

Manifest readManifest() { return detail::readManifest(demoDir()); }
std::string readFile(const fs::path& path, const char* what) { return detail::readDemoFile(path, what); }

}  // namespace

std::vector<std::string> dataDirCandidates() {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("MAXSTATE_DATA_DIR"); env && *env) dirs.emplace_back(env);
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec)
    dirs.push_back((exe.parent_path() / ".." / "share" / "maxstate-explorer").lexically_normal().string());
#ifdef MAXSTATE_RESOURCES_DIR
  dirs.emplace_back(MAXSTATE_RESOURCES_DIR);
#endif
  return dirs;
}

std::string findDemoDir(const std::vector<std::string>& dataDirs) {
  std::error_code ec;
  std::string looked;
  for (const std::string& dir : dataDirs) {
    const fs::path demo = fs::path(dir) / "demo";
    if (fs::is_regular_file(demo / "demo.json", ec))
      return fs::absolute(demo, ec).lexically_normal().string();
    looked += (looked.empty() ? "" : ", ") + demo.string();
  }
  throw Error(ErrorKind::BadFile,
              "no demo model found (looked for demo.json in " +
                  (looked.empty() ? std::string("no folder") : looked) +
                  "): set MAXSTATE_DATA_DIR to the folder holding demo/, or open a model file");
}

std::string demoDir() { return findDemoDir(dataDirCandidates()); }

std::string demoModelPath() { return readManifest().file("default_model", "model"); }
std::string demoVocabularyPath() { return readManifest().file("vocabulary", "vocabulary"); }
std::string demoTextPath() { return readManifest().file("text", "text"); }
std::string demoText() { return readFile(demoTextPath(), "text"); }

std::vector<DemoCheckpoint> demoCheckpoints() { return detail::checkpointList(readManifest()); }

}  // namespace maxstate
