// Where a checkpoint lies in training: what a resume file (or a .safetensors header) says, else the number
// its file name carries.
#include <charconv>
#include <filesystem>

#include "maxstate/checkpoint.h"
#include "maxstate/checkpoint_series.h"

namespace maxstate {

std::optional<int64_t> stepFromFileName(const std::string& path) {
  const std::string stem = std::filesystem::path(path).stem().string();
  size_t end = stem.size();
  while (end > 0 && (stem[end - 1] < '0' || stem[end - 1] > '9')) --end;
  if (end == 0) return std::nullopt;
  size_t begin = end;
  while (begin > 0 && stem[begin - 1] >= '0' && stem[begin - 1] <= '9') --begin;
  int64_t value = 0;
  // A run too long for int64 is a hash or a date, not a step.
  const auto [ptr, ec] = std::from_chars(stem.data() + begin, stem.data() + end, value);
  if (ec != std::errc() || ptr != stem.data() + end) return std::nullopt;
  return value;
}

TrainingProgress trainingProgressOf(const Checkpoint& checkpoint, const std::string& path) {
  TrainingProgress progress;
  progress.epoch = checkpoint.epoch;
  progress.step = checkpoint.step ? checkpoint.step : stepFromFileName(path);
  return progress;
}

// readCheckpoint reads the declarations only (the pickle or header): no tensor is read here.
TrainingProgress readTrainingProgress(const std::string& path) {
  return trainingProgressOf(readCheckpoint(path), path);
}

}  // namespace maxstate
