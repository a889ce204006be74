#include "maxstate/atomic_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "maxstate/error.h"

namespace maxstate {

void writeFileAtomically(const std::string& path, const std::function<void(std::ostream&)>& write) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw Error(ErrorKind::BadFile, "cannot write " + path + ": folder " + dir.string() + " does not exist");
  }
  const fs::path tmp = dir / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()));
  try {
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      if (!out) throw Error(ErrorKind::BadFile, "cannot write " + path + ": " + std::strerror(errno));
      write(out);
      out.flush();
      if (!out) throw Error(ErrorKind::BadFile, "cannot write " + path + ": write failed (disk full?)");
    }
    fs::rename(tmp, target, ec);
    if (ec) throw Error(ErrorKind::BadFile, "cannot write " + path + ": " + ec.message());
  } catch (...) {
    fs::remove(tmp, ec);
    throw;
  }
}

}  // namespace maxstate
