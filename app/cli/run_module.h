#pragma once
// Runs a command that lives in libmaxstate-run.so (cli/run_module_abi.h), loading the module first. The module
// is found relative to the executable: beside it (the build tree), else in MAXSTATE_MODULE_RELDIR (installed:
// <prefix>/lib/<multiarch>/maxstate). A module that is missing, broken or from another version is one line on
// stderr naming the file, and exit status 1.
#include <string>
#include <vector>

namespace maxstate::cli {

// Where the module is looked for, in order.
std::vector<std::string> runModuleCandidates();

int runInModule(const char* name, const std::vector<std::string>& args);

}  // namespace maxstate::cli
