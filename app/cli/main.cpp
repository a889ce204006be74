// maxstate: the command-line tool. Exit codes: 0 success, 1 a file or run that cannot be used, 2 usage errors.
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/run_module.h"
#include "maxstate/version.h"

namespace {

void printHelp(std::ostream& out) {
  out << "maxstate " << maxstate::version()
      << " -- look inside MaxStateSuper sequence models without a display\n\n"
         "Usage: maxstate COMMAND [OPTIONS]\n"
         "       maxstate help COMMAND\n"
         "       maxstate --version | --help\n\nCommands:\n";
  for (const auto& c : maxstate::cli::commands()) {
    const size_t width = std::string(c.name).size();
    out << "  " << c.name << std::string(width < 10 ? 10 - width : 1, ' ') << c.summary << "\n";
  }
  out << "\nOptions:\n"
         "  -h, --help     Show this help and exit; after a command, its options.\n"
         "  -V, --version  Print the version and the BLAS library in use, and exit.\n"
         "\nRun 'maxstate COMMAND --help' for a command's options.\n"
         "Exit status: 0 success, 1 a file or run that cannot be used, 2 usage error.\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    printHelp(std::cerr);
    return 2;
  }
  const std::string first = args[0];
  if (first == "--help" || first == "-h" || first == "help") {
    if (first == "help" && args.size() > 1) {
      for (const auto& c : maxstate::cli::commands())
        if (args[1] == c.name) {
          std::cout << c.usage;
          return 0;
        }
      std::cerr << "maxstate: no command named '" << args[1] << "'\n";
      printHelp(std::cerr);
      return 2;
    }
    printHelp(std::cout);
    return 0;
  }
  if (first == "--version" || first == "-V") {
    std::cout << "maxstate " << maxstate::version() << "\nBLAS: " << maxstate::blasInfo() << "\n";
    return 0;
  }
  for (const auto& c : maxstate::cli::commands()) {
    if (first != c.name) continue;
    std::vector<std::string> rest(args.begin() + 1, args.end());
    for (const auto& a : rest)
      if (a == "--help" || a == "-h") {
        std::cout << c.usage;
        return 0;
      }
    return c.run ? maxstate::cli::runReportingErrors(c.name, c.run, rest) : maxstate::cli::runInModule(c.name, rest);
  }
  std::cerr << "maxstate: unknown command '" << first << "'\n";
  printHelp(std::cerr);
  return 2;
}
