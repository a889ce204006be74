#pragma once
// How every command's failure reaches the user, the same whether the command runs in `maxstate` itself or in
// the module that runs models: one line "maxstate NAME: what is wrong" on stderr, exit 2 for usage errors (with
// a pointer to the command's help), 1 for anything else.
#include <string>
#include <vector>

namespace maxstate::cli {

using RunFunction = int (*)(const std::vector<std::string>& args);

int runReportingErrors(const char* name, RunFunction run, const std::vector<std::string>& args);

}  // namespace maxstate::cli
