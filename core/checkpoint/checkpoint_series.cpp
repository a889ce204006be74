// The checkpoints of a training run in a folder, and their training order.
#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <string_view>
#include <system_error>
#include <tuple>

#include "maxstate/checkpoint_series.h"
#include "maxstate/error.h"

namespace maxstate {
namespace {

namespace fs = std::filesystem;

// What torch.save / safetensors users name their files; ".PT" from other systems counts too.
bool isCheckpointName(const fs::path& file) {
  static constexpr std::array<std::string_view, 5> kExtensions = {".pt", ".pth", ".bin", ".ckpt",
                                                                  ".safetensors"};
  std::string ext = file.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return std::find(kExtensions.begin(), kExtensions.end(), ext) != kExtensions.end();
}

[[noreturn]] void cannotList(const std::string& folder, const std::error_code& ec) {
  throw Error(ErrorKind::BadFile, folder + ": cannot list the folder: " + ec.message());
}

}  // namespace

std::vector<std::string> checkpointFilesIn(const std::string& folder) {
  std::error_code ec;
  const fs::file_status status = fs::status(folder, ec);
  if (!fs::exists(status)) {
    if (ec && ec != std::errc::no_such_file_or_directory) cannotList(folder, ec);
    throw Error(ErrorKind::BadFile, folder + ": no such folder");
  }
  if (!fs::is_directory(status)) throw Error(ErrorKind::BadFile, folder + ": not a folder");
  std::vector<std::string> files;
  fs::directory_iterator it(folder, ec);
  if (ec) cannotList(folder, ec);
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) cannotList(folder, ec);
    std::error_code typeError;
    // Symbolic links to files count (a "latest.pt" link is common); a broken link or a folder does not.
    if (isCheckpointName(it->path()) && it->is_regular_file(typeError)) files.push_back(it->path().string());
  }
  if (ec) cannotList(folder, ec);
  std::sort(files.begin(), files.end());
  return files;
}

void sortByTrainingProgress(std::vector<SeriesEntry>& entries) {
  auto key = [](const SeriesEntry& e) {
    const TrainingProgress& p = e.progress;
    return std::tuple<bool, int64_t, int64_t, std::string, const std::string&>(
        !p.step.has_value(), p.epoch.value_or(0), p.step.value_or(0), fs::path(e.path).filename().string(),
        e.path);
  };
  std::stable_sort(entries.begin(), entries.end(),
                   [&](const SeriesEntry& a, const SeriesEntry& b) { return key(a) < key(b); });
}

}  // namespace maxstate
