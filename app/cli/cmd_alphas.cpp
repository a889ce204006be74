// maxstate alphas: the learned alphas of every layer over a training run -- one row per checkpoint, in
// training order -- read from the checkpoints' declarations and 0-dim scalars only (no weight is read), so a
// folder of large checkpoints takes seconds. Needs no model: runs in the executable, without LibTorch.
#include <filesystem>
#include <iostream>
#include <set>
#include <unordered_map>

#include "cli/alphas_output.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "maxstate/checkpoint.h"
#include "maxstate/error.h"

namespace maxstate::cli {
namespace {

const char* kUsage =
    "Usage: maxstate alphas PATH... [--heads N] [--json | --csv]\n"
    "\n"
    "Shows how each layer's alphas (alpha1..alpha3, alpha4 of the seed variant, a model's residual alpha)\n"
    "moved during training: one row per checkpoint, in training order. Only the scalars are read, never a\n"
    "weight matrix.\n"
    "\n"
    "  PATH         checkpoint files (torch.save zip or legacy, .safetensors, TorchScript), or folders: "
    "every\n"
    "               .pt .pth .bin .ckpt .safetensors file directly in a folder\n"
    "  --heads N    the number of heads of seed-variant checkpoints, which their shapes cannot tell; "
    "instead,\n"
    "               a side file PATH.json containing {\"heads\": N} is read when present\n"
    "  --json       print exactly one JSON object: {\"checkpoints\": [{\"file\", \"step\", \"epoch\", "
    "\"layers\":\n"
    "               [{\"index\", \"alpha1\", \"alpha2\", \"alpha3\", \"alpha4\" (seed), \"residual_alpha\"\n"
    "               (models)}]}]}, step and epoch null when unknown\n"
    "  --csv        print CSV: a header line, then one line per checkpoint and layer\n"
    "\n"
    "Training order: the epoch of a resume file ({\"model\": ..., \"epoch\": E, \"step\": S}; else 0), then "
    "the\n"
    "step (the resume file's integer \"step\", else the last number in the file name, e.g. 300 in\n"
    "pretrain_768_12_step300.pth), then the file name; checkpoints with no step come last.\n"
    "\n"
    "A file that is not a checkpoint this tool can read stops the command with one line naming it.\n"
    "Exit status: 0 success, 1 a file or folder that cannot be used (one line on stderr says why), 2 usage\n"
    "errors.\n";

// Every PATH as a list of files: a folder gives its checkpoint files, a file itself. The same file named
// twice (a folder and one of its files) is read once.
std::vector<std::string> filesOf(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  std::set<std::string> seen;
  auto add = [&](const std::string& file) {
    std::error_code ec;
    const std::string key = std::filesystem::weakly_canonical(file, ec).string();
    if (seen.insert(ec ? file : key).second) files.push_back(file);
  };
  for (const std::string& path : paths) {
    std::error_code ec;
    if (!std::filesystem::is_directory(path, ec)) {
      add(path);
      continue;
    }
    const std::vector<std::string> inFolder = checkpointFilesIn(path);
    if (inFolder.empty())
      throw Error(ErrorKind::BadFile,
                  path +
                      ": no checkpoint files in this folder (looked for .pt .pth .bin .ckpt "
                      ".safetensors): name the checkpoint files instead");
    for (const std::string& file : inFolder) add(file);
  }
  return files;
}

// The core names the file in its reader's messages, not in those about heads: every message names it here.
[[noreturn]] void rethrowNaming(const Error& e, const std::string& file) {
  const std::string what = e.what();
  if (what.rfind(file, 0) == 0) throw;
  throw Error(e.kind(), file + ": " + what);
}

int runAlphas(const std::vector<std::string>& argv) {
  const Args args(argv, {"heads"}, {"json", "csv"});
  if (args.positional().empty())
    throw Error(ErrorKind::Usage, "expected at least one PATH (checkpoint files or folders of them)");
  if (args.has("json") && args.has("csv")) throw Error(ErrorKind::Usage, "choose one of --json and --csv");
  std::optional<int64_t> heads;
  if (auto h = args.integer("heads")) heads = *h;

  std::vector<SeriesEntry> order;
  std::vector<AlphasRow> rows;
  for (const std::string& file : filesOf(args.positional())) {
    try {
      // One read of the file's declarations for both: the step and the alphas come from the same version
      // of a file that training may be rewriting.
      const Checkpoint checkpoint = readCheckpoint(file);
      AlphasRow row{file, trainingProgressOf(checkpoint, file), inspectCheckpoint(checkpoint, file, heads)};
      order.push_back({file, row.progress});
      rows.push_back(std::move(row));
    } catch (const Error& e) {
      rethrowNaming(e, file);
    }
  }
  sortByTrainingProgress(order);
  std::unordered_map<std::string, size_t> rowOf;  // distinct: filesOf lists each file once
  for (size_t i = 0; i < rows.size(); ++i) rowOf.emplace(rows[i].file, i);
  std::vector<AlphasRow> sorted;
  for (const SeriesEntry& entry : order) sorted.push_back(std::move(rows[rowOf.at(entry.path)]));

  if (args.has("json"))
    printAlphasJson(std::cout, sorted);
  else if (args.has("csv"))
    printAlphasCsv(std::cout, sorted);
  else
    printAlphasTable(std::cout, sorted);
  return 0;
}

}  // namespace

Command alphasCommand() {
  return {"alphas", "the alphas of every layer over a training run (checkpoints in training order)", kUsage,
          &runAlphas};
}

}  // namespace maxstate::cli
