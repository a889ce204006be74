#include "cli/commands.h"

namespace maxstate::cli {

// One line per subcommand; each is defined in its own cmd_*.cpp.
Command inspectCommand();  // cmd_inspect.cpp

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      inspectCommand(),
Command traceCommand();  // cmd_trace.cpp

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      traceCommand(),
  };
  return table;
}

}  // namespace maxstate::cli
