#pragma once
// Several checkpoints of one training run (a folder of them): which files they are and where each lies in
// training, so that they can be listed and plotted in training order.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace maxstate {

struct Checkpoint;  // maxstate/checkpoint.h

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
// The same for a checkpoint already open (its `epoch` / `step`, see checkpoint.h), `path` giving the file
// name: for callers that read the checkpoint anyway and should not read it twice.
TrainingProgress trainingProgressOf(const Checkpoint& checkpoint, const std::string& path);

struct SeriesEntry {
  std::string path;
  TrainingProgress progress;
};
// Training order: epoch (unknown counts as 0), then step, then file name; entries with no step last.
// "Last" is after every entry with a step, whatever its epoch (a step-less entry cannot be placed on a
// step axis); among themselves they follow epoch, then file name. Ties end on the full path: stable.
void sortByTrainingProgress(std::vector<SeriesEntry>& entries);

}  // namespace maxstate
