#include "cli/args.h"

#include "maxstate/error.h"

namespace maxstate::cli {

Args::Args(const std::vector<std::string>& argv, const std::set<std::string>& valueOptions,
           const std::set<std::string>& flagOptions) {
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a.rfind("--", 0) != 0 || a == "--") {
      m_positional.push_back(a);
      continue;
    }
    std::string name = a.substr(2), val;
    bool hasInline = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      val = name.substr(eq + 1);
      name = name.substr(0, eq);
      hasInline = true;
    }
    if (valueOptions.count(name)) {
      if (!hasInline) {
        if (i + 1 >= argv.size()) throw Error(ErrorKind::Usage, "option --" + name + " needs a value");
        val = argv[++i];
      }
      m_values[name] = val;
      m_allValues[name].push_back(val);
    } else if (flagOptions.count(name)) {
      if (hasInline) throw Error(ErrorKind::Usage, "option --" + name + " takes no value");
      m_flags.insert(name);
    } else {
      throw Error(ErrorKind::Usage, "unknown option --" + name);
    }
  }
}

std::optional<std::string> Args::value(const std::string& name) const {
  auto it = m_values.find(name);
  if (it == m_values.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> Args::values(const std::string& name) const {
  auto it = m_allValues.find(name);
  return it == m_allValues.end() ? std::vector<std::string>{} : it->second;
}

std::optional<long long> Args::integer(const std::string& name) const {
  auto v = value(name);
  if (!v) return std::nullopt;
  try {
    size_t used = 0;
    long long n = std::stoll(*v, &used);
    if (used != v->size()) throw std::invalid_argument("trailing");
    return n;
  } catch (const std::exception&) {
    throw Error(ErrorKind::Usage, "option --" + name + " expects a whole number, got '" + *v + "'");
  }
}

}  // namespace maxstate::cli
