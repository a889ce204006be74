#include "cli/stats_output.h"

#include <unistd.h>

#include <filesystem>

#include "maxstate/atomic_file.h"
#include "maxstate/error.h"
#include "maxstate/npy.h"

namespace maxstate::cli {
namespace {

namespace fs = std::filesystem;

// A hidden folder beside DIR (same file system, so that the final moves are renames); removed on failure.
class Staging {
 public:
  explicit Staging(const fs::path& dir)
      : m_path(dir.parent_path() /
               ("." + dir.filename().string() + ".partial-" + std::to_string(::getpid()))) {
    std::error_code ec;
    fs::remove_all(m_path, ec);
    if (!fs::create_directories(m_path, ec) || ec) {
      throw Error(ErrorKind::BadFile, "cannot create a folder beside " + dir.string() + " (" +
                                          m_path.string() + "): " + ec.message());
    }
  }
  ~Staging() {
    std::error_code ec;
    fs::remove_all(m_path, ec);
  }
  const fs::path& path() const { return m_path; }

 private:
  fs::path m_path;
};

// Moves the staged files into DIR: the whole folder at once when DIR is new, else file by file (meta.json
// last, so that its presence means the folder is complete).
void commit(const fs::path& staged, const fs::path& dir, const std::vector<std::string>& names) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    fs::rename(staged, dir, ec);
    if (!ec) return;
  }
  if (!fs::is_directory(dir, ec))
    throw Error(ErrorKind::BadFile,
                "cannot write the folder " + dir.string() + ": a file of that name exists");
  for (const std::string& name : names) {
    fs::rename(staged / name, dir / name, ec);
    if (ec) throw Error(ErrorKind::BadFile, "cannot write " + (dir / name).string() + ": " + ec.message());
  }
}

}  // namespace

void checkStatsFolder(const std::string& dir) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    throw Error(ErrorKind::BadFile, "cannot write the folder " + dir + ": a file of that name exists");
}

void writeStatsFolder(const std::string& dir, const LongContextStats& stats, bool withNll,
                      nlohmann::ordered_json meta, const std::function<void()>& beforeCommit) {
  const fs::path target = fs::path(dir).lexically_normal();
  const fs::path root = target.filename().empty() ? target.parent_path() : target;  // "out/" is "out"
  checkStatsFolder(root.string());
  Staging staging(fs::absolute(root));
  nlohmann::ordered_json files = nlohmann::ordered_json::object();
  std::vector<std::string> names;
  auto write = [&](const std::string& name, const FloatArray& a) {
    writeNpy((staging.path() / name).string(), a);
    files[name] = {{"dtype", "float32"}, {"shape", a.shape()}};
    names.push_back(name);
  };
  write("state_norm.npy", stats.stateNorm);
  write("state_max.npy", stats.stateMax);
  write("write_rate.npy", stats.writeRate);
  write("source_age.npy", stats.sourceAge);
  if (withNll) write("nll.npy", stats.nll);
  meta["files"] = std::move(files);
  const std::string text = meta.dump(2) + "\n";
  writeFileAtomically((staging.path() / "meta.json").string(), [&](std::ostream& s) { s << text; });
  names.push_back("meta.json");
  if (beforeCommit) beforeCommit();
  commit(staging.path(), fs::absolute(root), names);
}

}  // namespace maxstate::cli
