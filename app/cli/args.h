#pragma once
// A small command-line parser: `--name value`, `--name=value` and boolean `--name`, with unknown options and
// missing values reported as usage errors (exit code 2).
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace maxstate::cli {

class Args {
 public:
  // valueOptions take a value, flagOptions do not. Throws Error(Usage) on anything else.
  Args(const std::vector<std::string>& argv, const std::set<std::string>& valueOptions,
       const std::set<std::string>& flagOptions);

  bool has(const std::string& name) const { return m_values.count(name) || m_flags.count(name); }
  std::optional<std::string> value(const std::string& name) const;  // the last one given
  // Every value of a repeatable option (e.g. whatif's --edit), in the order given.
  std::vector<std::string> values(const std::string& name) const;
  const std::vector<std::string>& positional() const { return m_positional; }
  // Parses an integer option; throws Error(Usage) naming the option when it is not one.
  std::optional<long long> integer(const std::string& name) const;

 private:
  std::map<std::string, std::string> m_values;
  std::map<std::string, std::vector<std::string>> m_allValues;
  std::set<std::string> m_flags;
  std::vector<std::string> m_positional;
};

}  // namespace maxstate::cli
