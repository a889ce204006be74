// maxstate stats (issue 15): streams the input through the model in chunks, carrying every layer's state, and
// writes the long-context statistics (SPEC.md section 6) of every layer, position and head, the loss on the
// text, and optionally an overview figure. Memory does not grow with the length: no trace is kept.
// Runs in libmaxstate-run.so (cli/run_module_abi.h); its help is in the executable (cmd_stats_usage.cpp).
#include <qcustomplot.h>

#include <filesystem>
#include <iostream>

#include "cli/args.h"
#include "cli/offscreen_app.h"
#include "cli/run_request.h"
#include "cli/stats_output.h"
#include "maxstate/error.h"
#include "maxstate/resources.h"
#include "maxstate/stats.h"
#include "ui/export/plot_export.h"
#include "ui/export/stats_figure.h"

namespace maxstate::cli {
namespace {

namespace fs = std::filesystem;

int64_t positiveOption(const Args& args, const std::string& name, int64_t fallback) {
  const auto v = args.integer(name);
  if (!v) return fallback;
  if (*v < 1)
    throw Error(ErrorKind::Usage, "--" + name + " expects a positive number, got " + std::to_string(*v));
  return *v;
}

// --plot FILE: the format is the file's extension.
std::optional<ui::ExportFormat> plotFormat(const Args& args) {
  const auto plot = args.value("plot");
  if (!plot) return std::nullopt;
  const std::string ext = fs::path(*plot).extension().string();
  if (ext == ".png") return ui::ExportFormat::Png;
  if (ext == ".svg") return ui::ExportFormat::Svg;
  if (ext == ".pdf") return ui::ExportFormat::Pdf;
  throw Error(ErrorKind::Usage, "--plot expects a file ending in .png, .svg or .pdf, got '" + *plot + "'");
}

struct TrainLength {
  int64_t tokens = kDefaultTrainLength;
  std::string from = "default";
};

// --train-length, else the checkpoint's side file, else the demo's manifest (no PATH), else OpenASH's 8192.
TrainLength trainLengthOf(const Args& args, const TracedRun& run) {
  if (args.has("train-length")) return {positiveOption(args, "train-length", 0), "--train-length"};
  if (const auto side = readTrainLength(run.path)) return {*side, "side file " + run.path + ".json"};
  if (run.demo && demos().front().trainLength > 0) return {demos().front().trainLength, "demo manifest"};
  return {};
}

LongContextStats compute(const TracedRun& run, const StatsOptions& options) {
  if (run.inputKind != "input") return streamStats(*run.model, run.ids, options);
  try {
    return streamInputStats(*run.model, run.input, options);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::Shape && e.kind() != ErrorKind::Usage) throw;
    throw Error(ErrorKind::BadFile, run.inputPath + ": " + e.what());  // the file is what needs fixing
  }
}

nlohmann::ordered_json metaOf(const TracedRun& run, const LongContextStats& s, int64_t chunk,
                              const TrainLength& train) {
  const ModelInfo& info = run.model->info();
  nlohmann::ordered_json meta = describeRun(run);
  meta["model"].update({{"variant", variantName(info.variant)},
                        {"kind", kindName(info.kind)},
                        {"vocab_size", info.vocabSize ? nlohmann::ordered_json(*info.vocabSize) : nullptr},
                        {"hidden", info.hidden},
                        {"heads", info.heads},
                        {"layers", info.layers}});
  meta["length"] = s.length;
  meta["layers"] = s.stateNorm.dim(0);
  meta["heads"] = info.heads;
  meta["head_dim"] = info.hidden / info.heads;
  meta["chunk"] = chunk;
  meta["train_length"] = train.tokens;
  meta["train_length_from"] = train.from;
  if (info.kind == ModelKind::Model) meta["tokens"] = run.ids;
  return meta;
}

double meanNll(const FloatArray& nll, int64_t from, int64_t to) {
  double sum = 0;
  for (int64_t i = from; i < to; ++i) sum += nll[i];
  return sum / static_cast<double>(to - from);
}

void printOutcome(const LongContextStats& s, int64_t chunk, int64_t trainLength, const std::string& out) {
  std::cout << "stats: " << s.length << " position(s), " << s.stateNorm.dim(0) << " layer(s) x "
            << s.stateNorm.dim(2) << " head(s), in " << (s.length + chunk - 1) / chunk << " chunk(s) of "
            << chunk;
  const int64_t n = s.nll.size(), split = std::min(n, trainLength);
  if (n > 0) {
    std::cout << "; mean NLL " << meanNll(s.nll, 0, split) << " before the training length " << trainLength;
    if (split < n) std::cout << ", " << meanNll(s.nll, split, n) << " after it";
  }
  std::cout << "; wrote " << out << "\n";
}

}  // namespace

int runStatsCommand(const std::vector<std::string>& argv) {
  const Args args(argv, runOptions({"out", "plot", "train-length", "chunk"}), {});
  if (args.has("mode"))  // the statistics are always streamed in parallel chunks
    throw Error(ErrorKind::Usage,
                "--mode is not an option of stats: it streams parallel chunks (see --chunk)");
  const auto out = args.value("out");
  if (!out || out->empty())
    throw Error(ErrorKind::Usage, "--out DIR is required: the folder to write the statistics to");
  checkStatsFolder(*out);
  const auto format = plotFormat(args);
  StatsOptions options;
  options.chunk = positiveOption(args, "chunk", options.chunk);
  positiveOption(args, "train-length", 0);  // checked before the (possibly long) run

  const TracedRun run = loadFromArguments(args);
  const TrainLength train = trainLengthOf(args, run);
  const LongContextStats stats = compute(run, options);
  const bool isModel = run.model->info().kind == ModelKind::Model;

  auto draw = [&] {
    if (!format) return;
    const auto app = offscreenApplication("stats");
    QCustomPlot plot;
    const std::string title = fs::path(run.path).stem().string() + " · long-context statistics · " +
                              std::to_string(stats.length) + " positions";
    ui::buildStatsFigure(plot, stats, title, train.tokens);
    ui::writePlotImage(plot, *format, *args.value("plot"), QSize(1400, isModel ? 900 : 600), 1.0, title);
  };
  writeStatsFolder(*out, stats, isModel, metaOf(run, stats, options.chunk, train), draw);
  printOutcome(stats, options.chunk, train.tokens, *out);
  return 0;
}

}  // namespace maxstate::cli
