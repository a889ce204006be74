#pragma once
// Each subcommand of `maxstate` lives in its own file and is listed in main.cpp's table.
#include <string>
#include <vector>

namespace maxstate::cli {

struct Command {
  const char* name;
  const char* summary;
  const char* usage;  // full help text, printed by `maxstate help NAME` and `maxstate NAME --help`
  int (*run)(const std::vector<std::string>& args);
};

const std::vector<Command>& commands();

}  // namespace maxstate::cli
