#include "cli/run_module.h"

#include <dlfcn.h>

#include <cstring>
#include <filesystem>
#include <iostream>

#include "cli/run_module_abi.h"
#include "maxstate/version.h"

namespace maxstate::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kFileName = "libmaxstate-run.so";
constexpr const char* kWhat = "the part of maxstate that runs models";

int fail(const char* name, const std::string& what) {
  std::string line = what;
  for (char& c : line)
    if (c == '\n') c = ' ';  // dlerror() may span lines; the user gets one
  std::cerr << "maxstate " << name << ": " << line << "\n";
  return 1;
}

}  // namespace

std::vector<std::string> runModuleCandidates() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  const fs::path dir = exe.parent_path();
  return {(dir / kFileName).string(), (dir / MAXSTATE_MODULE_RELDIR / kFileName).lexically_normal().string()};
}

int runInModule(const char* name, const std::vector<std::string>& args) {
  const std::vector<std::string> candidates = runModuleCandidates();
  std::string path;
  std::error_code ec;
  for (const std::string& c : candidates)
    if (fs::exists(c, ec)) {
      path = c;
      break;
    }
  if (path.empty()) {
    std::string looked;
    for (const std::string& c : candidates) looked += (looked.empty() ? "" : ", ") + c;
    return fail(name, std::string("cannot find ") + kFileName + ", " + kWhat + " (looked for " +
                          (looked.empty() ? std::string("it beside /proc/self/exe") : looked) +
                          "): reinstall maxstate-explorer, or build the target maxstate_run");
  }
  // RTLD_NOW: a library the module needs that is missing is reported here, not in the middle of a run.
  void* module = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!module)
    return fail(name, "cannot load " + path + ", " + kWhat + ": " + dlerror() + "; reinstall maxstate-explorer");
  const auto entry = reinterpret_cast<maxstate_run_module_entry>(dlsym(module, MAXSTATE_RUN_MODULE_ENTRY));
  const maxstate_run_module_info* info = entry ? entry() : nullptr;
  if (!info)
    return fail(name, path + " is not " + kWhat + " (it has no " + MAXSTATE_RUN_MODULE_ENTRY +
                          "): reinstall maxstate-explorer");
  if (info->abi != MAXSTATE_RUN_MODULE_ABI || !info->version || info->version != version())
    return fail(name, path + " is from maxstate " + (info->version ? info->version : "?") + ", this is maxstate " +
                          version() + ": reinstall maxstate-explorer");
  for (int i = 0; i < info->count; ++i) {
    if (std::strcmp(info->commands[i].name, name) != 0) continue;
    std::vector<const char*> argv;
    for (const std::string& a : args) argv.push_back(a.c_str());
    argv.push_back(nullptr);
    return info->commands[i].run(static_cast<int>(args.size()), argv.data());
  }
  return fail(name, path + " has no command '" + name + "': reinstall maxstate-explorer");
}

}  // namespace maxstate::cli
