#pragma once
// The subcommands of `maxstate`: names, summaries and full help live in the executable, so that help never
// loads LibTorch. A command that needs no model runs in the executable (`run` set; its cmd_*.cpp is linked into
// `maxstate`); a command that runs a model (`run` null) runs in libmaxstate-run.so (cli/run_module.h), whose
// table (cli/module_main.cpp) lists it under the same name.
#include <string>
#include <vector>

#include "cli/report_errors.h"

namespace maxstate::cli {

struct Command {
  const char* name;
  const char* summary;
  const char* usage;  // full help text, printed by `maxstate help NAME` and `maxstate NAME --help`
  RunFunction run;    // null: the command runs in the module
};

const std::vector<Command>& commands();

}  // namespace maxstate::cli
