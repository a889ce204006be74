#pragma once
// An output folder written all at once: files go to a hidden folder beside it, which becomes DIR (or whose
// files replace DIR's of the same names) only when everything is written. An error, or Ctrl+C (see
// cli/interrupt.h), leaves DIR as it was.
#include <string>

namespace maxstate::cli {

class StagedFolder {
 public:
  // Error(BadFile) when `target` exists and is not a folder, or the staging folder cannot be made.
  explicit StagedFolder(std::string target);
  ~StagedFolder();  // removes the staging folder unless committed
  StagedFolder(const StagedFolder&) = delete;
  StagedFolder& operator=(const StagedFolder&) = delete;

  const std::string& path() const { return m_staging; }  // where to write now
  // Moves everything into the target: the whole folder when the target does not exist yet, else entry by
  // entry (replacing entries of the same name), `last` last (so that its presence means the rest is there).
  void commit(const std::string& last);

 private:
  std::string m_target, m_staging;
  bool m_committed = false;
};

}  // namespace maxstate::cli
