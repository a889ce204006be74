#pragma once
// A demo manifest (demo.json) as read by resources.cpp and demo_list.cpp: the JSON and the folder it names
// files in, with the error every bad field or missing file gets.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "maxstate/resources.h"

namespace maxstate::detail {

struct Manifest {
  std::filesystem::path dir;
  nlohmann::json json;

  // A file the manifest names under `key`; must exist.
  std::string file(const char* key, const char* what) const;
  // The same, or "" when the manifest does not name one.
  std::string optionalFile(const char* key, const char* what) const;
  // A plain file name inside `dir` that must exist.
  std::string existing(const std::string& name, const char* what) const;
  [[noreturn]] void bad(const std::string& what) const;
};

// The manifest of the demo folder `dir` (Error(BadFile) when missing or not a JSON object).
Manifest readManifest(const std::filesystem::path& dir);
// The content of a demo file (Error(BadFile) when it cannot be read).
std::string readDemoFile(const std::filesystem::path& path, const char* what);
// The manifest's "checkpoints" list (each file must exist).
std::vector<DemoCheckpoint> checkpointList(const Manifest& m);

}  // namespace maxstate::detail
