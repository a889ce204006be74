#include "cli/staged_folder.h"

#include <unistd.h>

#include <filesystem>

#include "maxstate/error.h"

namespace maxstate::cli {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void cannot(const std::string& what, const fs::path& path, const std::error_code& ec) {
  throw Error(ErrorKind::BadFile, "cannot " + what + " " + path.string() + ": " + ec.message());
}

void move(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  if (fs::exists(fs::symlink_status(to))) fs::remove_all(to, ec);
  if (ec) cannot("replace", to, ec);
  fs::rename(from, to, ec);
  if (ec) cannot("write", to, ec);
}

}  // namespace

StagedFolder::StagedFolder(std::string target) : m_target(std::move(target)) {
  fs::path t(m_target);
  if (t.filename().empty()) t = t.parent_path();  // "out/" names the folder "out"
  m_target = t.string();
  std::error_code ec;
  if (fs::exists(t, ec) && !fs::is_directory(t, ec)) {
    throw Error(ErrorKind::BadFile, "cannot write to " + m_target + ": it is a file, not a folder");
  }
  const fs::path parent = t.has_parent_path() ? t.parent_path() : fs::path(".");
  fs::create_directories(parent, ec);
  if (ec) cannot("create the folder", parent, ec);
  const fs::path staging = parent / ("." + t.filename().string() + ".tmp-" + std::to_string(::getpid()));
  fs::remove_all(staging, ec);
  fs::create_directory(staging, ec);
  if (ec) cannot("create the folder", staging, ec);
  m_staging = staging.string();
}

StagedFolder::~StagedFolder() {
  if (m_committed) return;
  std::error_code ec;
  fs::remove_all(m_staging, ec);
}

void StagedFolder::commit(const std::string& last) {
  const fs::path target(m_target), staging(m_staging);
  std::error_code ec;
  if (!fs::exists(target, ec)) {
    fs::rename(staging, target, ec);
    if (ec) cannot("write", target, ec);
  } else {
    for (const auto& entry : fs::directory_iterator(staging))
      if (entry.path().filename() != last) move(entry.path(), target / entry.path().filename());
    move(staging / last, target / last);
    fs::remove_all(staging, ec);
  }
  m_committed = true;
}

}  // namespace maxstate::cli
