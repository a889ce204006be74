#pragma once
// The folder `maxstate stats` writes (issue 15): DIR/{state_norm,state_max,write_rate,source_age}.npy
// (float32 [L, S, H]), DIR/nll.npy (float32 [S - 1], models) and DIR/meta.json. All or nothing: the files are
// written to a staging folder beside DIR and moved in only once every one of them is complete.
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "maxstate/stats.h"

namespace maxstate::cli {

// Error(BadFile) when DIR exists and is not a folder: checked before a long run, and again when writing.
void checkStatsFolder(const std::string& dir);

// nll.npy when `withNll` (models). `meta` is completed with "files" (name -> dtype and shape) and written
// last. `beforeCommit` runs once the staging folder is complete and before it is moved in (e.g. to draw a
// figure): if it throws, nothing is left of DIR's new content. Throws Error(BadFile) naming the folder or
// file that could not be written.
void writeStatsFolder(const std::string& dir, const LongContextStats& stats, bool withNll,
                      nlohmann::ordered_json meta, const std::function<void()>& beforeCommit = {});

}  // namespace maxstate::cli
