#include "cli/commands.h"

namespace maxstate::cli {

// One line per subcommand; each is defined in its own cmd_*.cpp.
Command inspectCommand();  // cmd_inspect.cpp
Command traceCommand();    // cmd_trace.cpp
Command exportCommand();   // cmd_export.cpp

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      inspectCommand(),
      traceCommand(),
      exportCommand(),
  };
  return table;
}

}  // namespace maxstate::cli
