// libmaxstate-run.so: the commands that run models, behind the plain-C entry point of cli/run_module_abi.h.
#include <string>
#include <vector>

#include "cli/report_errors.h"
#include "cli/run_module_abi.h"
#include "maxstate/version.h"

namespace maxstate::cli {

int runTrace(const std::vector<std::string>& args);          // cmd_trace.cpp
int runExport(const std::vector<std::string>& args);         // cmd_export.cpp
int runWhatIfCommand(const std::vector<std::string>& args);  // cmd_whatif.cpp
int runDiffCommand(const std::vector<std::string>& args);    // cmd_diff.cpp
int runStatsCommand(const std::vector<std::string>& args);   // cmd_stats.cpp

namespace {

template <const char* Name, RunFunction Run>
int entry(int argc, const char* const* argv) {
  return runReportingErrors(Name, Run, std::vector<std::string>(argv, argv + argc));
}

constexpr char kTrace[] = "trace";
constexpr char kExport[] = "export";
constexpr char kWhatIf[] = "whatif";
constexpr char kDiff[] = "diff";
constexpr char kStats[] = "stats";

const maxstate_run_command kCommands[] = {
    {kTrace, &entry<kTrace, &runTrace>},           {kExport, &entry<kExport, &runExport>},
    {kWhatIf, &entry<kWhatIf, &runWhatIfCommand>}, {kDiff, &entry<kDiff, &runDiffCommand>},
    {kStats, &entry<kStats, &runStatsCommand>},
};

}  // namespace
}  // namespace maxstate::cli

extern "C" __attribute__((visibility("default"))) const maxstate_run_module_info* maxstate_run_module(void) {
  using namespace maxstate::cli;
  static const std::string version = maxstate::version();
  static const maxstate_run_module_info info = {MAXSTATE_RUN_MODULE_ABI, version.c_str(),
                                                static_cast<int>(std::size(kCommands)), kCommands};
  return &info;
}
