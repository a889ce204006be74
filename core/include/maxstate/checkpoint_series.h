#pragma once
// Several checkpoints of one training run (a folder of them): which files they are and where each lies in
// training, so that they can be listed and plotted in training order.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace maxstate {

struct TrainingProgress {
  std::optional<int64_t> epoch;  // a resume file's integer "epoch"
  std::optional<int64_t> step;   // a resume file's integer "step", else the last number in the file name
};

// Every checkpoint file directly in `folder` (by extension: .pt .pth .bin .ckpt .safetensors), sorted by
// name; side files (.json) and other files are not listed. Error(BadFile) for a folder that cannot be read.
std::vector<std::string> checkpointFilesIn(const std::string& folder);

// Where the checkpoint at `path` lies in training: the resume file's entries (reading only the file's
// pickle, never a tensor) else the last number in the file name. Errors as readCheckpoint's.
TrainingProgress readTrainingProgress(const std::string& path);
// The last run of decimal digits in the file name (without folders or extension), if any:
// "pretrain_768_12.pth" -> 12, "step-00500.pt" -> 500.
std::optional<int64_t> stepFromFileName(const std::string& path);

struct SeriesEntry {
  std::string path;
  TrainingProgress progress;
};
// Training order: epoch (unknown counts as 0), then step, then file name; entries with no step last.
void sortByTrainingProgress(std::vector<SeriesEntry>& entries);

}  // namespace maxstate
