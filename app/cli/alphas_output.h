#pragma once
// What `maxstate alphas` prints for a training run's checkpoints, already in training order: exactly one JSON
// object, CSV (one line per checkpoint and layer), or a readable table (one section per layer, one row per
// checkpoint, so that each alpha's course over training reads down a column).
#include <ostream>
#include <string>
#include <vector>

#include "maxstate/architecture.h"
#include "maxstate/checkpoint_series.h"

namespace maxstate::cli {

struct AlphasRow {
  std::string file;  // as given on the command line, or the folder joined with the file's name
  TrainingProgress progress;
  ModelSummary summary;
};

void printAlphasJson(std::ostream& out, const std::vector<AlphasRow>& rows);
void printAlphasCsv(std::ostream& out, const std::vector<AlphasRow>& rows);
void printAlphasTable(std::ostream& out, const std::vector<AlphasRow>& rows);

}  // namespace maxstate::cli
