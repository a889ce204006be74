// maxstate diff (issue 14): compares two checkpoints of one architecture (SPEC.md section 7) -- how far each
// parameter tensor moved, the alphas side by side and, on an input, where the two models behave differently.
// Runs in libmaxstate-run.so (cli/run_module_abi.h); its help is in the executable (cmd_diff_usage.cpp).
#include <filesystem>
#include <iostream>

#include "cli/args.h"
#include "cli/diff_input.h"
#include "cli/diff_summary.h"
#include "cli/input_args.h"
#include "cli/interrupt.h"
#include "cli/staged_folder.h"
#include "maxstate/atomic_file.h"
#include "maxstate/compare.h"
#include "maxstate/error.h"
#include "maxstate/npy.h"

namespace maxstate::cli {
namespace {

namespace fs = std::filesystem;

// DIR/layerL/state_diff.npy and source_same.npy of the layers asked for, written as the runs make them.
LayerPairObserver layerWriter(const std::string& dir, const std::vector<int>& layers, int count) {
  return [dir, layers, count](int l, const LayerRecord& a, const LayerRecord& b) {
    std::cerr << "diff: compared layer " << l + 1 << " of " << count << "\n";
    if (std::find(layers.begin(), layers.end(), l) == layers.end()) return;
    const fs::path folder = fs::path(dir) / ("layer" + std::to_string(l));
    fs::create_directories(folder);
    writeNpy((folder / "state_diff.npy").string(), stateDifference(a, b));
    const std::vector<uint8_t> same = sourceSame(a, b);
    Array<uint8_t> flags(a.source.shape());
    std::copy(same.begin(), same.end(), flags.data());
    writeNpy((folder / "source_same.npy").string(), flags);
  };
}

void printOutcome(const std::vector<ParameterChange>& params, const std::optional<Comparison>& c,
                  const std::string& out) {
  const ParameterChange* most = nullptr;
  for (const auto& p : params)
    if (p.relChange && (!most || *p.relChange > *most->relChange)) most = &p;
  std::cout << "diff: " << params.size() << " parameter tensor(s)";
  if (most) std::cout << ", the most moved " << most->name << " (rel_change " << *most->relChange << ")";
  if (c && !c->kl.empty()) {
    double mean = 0;
    for (double v : c->kl) mean += v;
    std::cout << "; mean KL " << mean / double(c->kl.size()) << ", top-1 agreement " << c->top1Agree;
  }
  std::cout << "; wrote " << out << "/summary.json\n";
}

}  // namespace

int runDiffCommand(const std::vector<std::string>& argv) {
  const Args args(argv, inputOptions({"vocab", "heads", "layer", "out"}), {});
  const auto& positional = args.positional();
  if (positional.size() != 2) {
    throw Error(ErrorKind::Usage,
                "expected two checkpoints A and B, got " + std::to_string(positional.size()));
  }
  const auto out = args.value("out");
  if (!out || out->empty())
    throw Error(ErrorKind::Usage, "--out DIR is required: the folder to write the summary (and layers) to");
  const DiffRequest request = diffRequestFrom(args);
  const std::string &pathA = positional[0], &pathB = positional[1];

  InterruptAsCancel interrupt;
  Progress progress;
  progress.cancel = interrupt.flag();
  try {
    StagedFolder staging(*out);
    const std::vector<ParameterChange> params = compareParameters(pathA, pathB, progress);
    nlohmann::ordered_json summary =
        parametersSummary(params, inspectModel(pathA, request.heads), inspectModel(pathB, request.heads));
    std::optional<Comparison> comparison;
    if (request.hasInput) {
      DiffRun run = loadDiffRun(args, request, pathA, pathB);
      const auto onLayer = layerWriter(staging.path(), run.layers, static_cast<int>(run.a->info().layers));
      TraceOptions options;
      options.topK = 1;  // only the top-1 token is compared
      options.logitLens = false;
      comparison = compareRuns(*run.a, *run.b, run.ids, run.input, options, progress, onLayer);
      addRunSummary(summary, *comparison);
    }
    const std::string text = summary.dump(2) + "\n";
    writeFileAtomically((fs::path(staging.path()) / "summary.json").string(),
                        [&](std::ostream& s) { s << text; });
    if (progress.cancel->load()) throw Error(ErrorKind::Cancelled, "interrupted");
    staging.commit("summary.json");
    printOutcome(params, comparison, *out);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::Cancelled) throw;
    std::cerr << "maxstate diff: interrupted: " << *out << " was left as it was\n";
    return 130;
  }
  return 0;
}

}  // namespace maxstate::cli
