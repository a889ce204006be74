#include "cli/commands.h"

namespace maxstate::cli {

// One line per subcommand; each is defined in its own cmd_*.cpp (help of module commands: cmd_*_usage.cpp).
Command inspectCommand();   // cmd_inspect.cpp
Command tokenizeCommand();  // cmd_tokenize.cpp
Command traceCommand();     // cmd_trace_usage.cpp; runs in the module (cmd_trace.cpp)
Command exportCommand();    // cmd_export_usage.cpp; runs in the module (cmd_export.cpp)
Command whatifCommand();    // cmd_whatif_usage.cpp; runs in the module (cmd_whatif.cpp)
Command alphasCommand();    // cmd_alphas.cpp
Command diffCommand();      // cmd_diff_usage.cpp; runs in the module (cmd_diff.cpp)
Command statsCommand();     // cmd_stats_usage.cpp; runs in the module (cmd_stats.cpp)

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      inspectCommand(), tokenizeCommand(), traceCommand(), exportCommand(),
      whatifCommand(),  alphasCommand(),   diffCommand(),  statsCommand(),
  };
  return table;
}

}  // namespace maxstate::cli
