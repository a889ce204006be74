#include "cli/report_errors.h"

#include <iostream>

#include "maxstate/error.h"

namespace maxstate::cli {

int runReportingErrors(const char* name, RunFunction run, const std::vector<std::string>& args) {
  try {
    return run(args);
  } catch (const Error& e) {
    std::cerr << "maxstate " << name << ": " << e.what() << "\n";
    if (e.kind() == ErrorKind::Usage) {
      std::cerr << "Run 'maxstate " << name << " --help' for usage.\n";
      return 2;
    }
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "maxstate " << name << ": " << e.what() << "\n";
    return 1;
  }
}

}  // namespace maxstate::cli
