// What-if speed at the published shape (issue 13): an edit, a knock-out and a state intervention at position
// 8000 of an 8192-token trace against the full trace. Target: each at most 0.1x the full trace.
//
//   bench_whatif [--tokens 8192] [--at 8000] [--runs 3]
#include <iostream>
#include <string>

#include "bench_common.h"
#include "maxstate/version.h"
#include "maxstate/whatif.h"

using namespace maxstate;
using bench::bestOf;

int main(int argc, char** argv) {
  int64_t S = 8192, at = 8000, runs = 3;
  if (!bench::readCountOptions(argc, argv, {{"--tokens", &S}, {"--at", &at}, {"--runs", &runs}},
                               "bench_whatif [--tokens N] [--at P] [--runs N]"))
    return 2;
  if (at >= S) {
    std::cerr << "--at must be below --tokens\n";
    return 2;
  }
  std::cout << "BLAS: " << blasInfo() << "\nmodel: V=" << bench::kVocab << " d=" << bench::kDim
            << " H=" << bench::kHeads << " L=" << bench::kLayers << " (openash), " << S
            << " tokens, edits at " << at << "\n";
  const Model model(bench::publishedShape());
  const auto ids = bench::tokens(S);
  model.trace(std::vector<int64_t>(ids.begin(), ids.begin() + 64));  // warm-up
  std::shared_ptr<const Trace> trace;
  const double full = bestOf(runs, [&] {
    trace.reset();  // one trace alive at a time: the peak RSS below is one trace and its what-if runs
    trace = model.trace(ids);
  });
  std::cout << "full trace: " << full << " s\n";
  const std::string p = std::to_string(at);
  bool allMet = true;
  for (const std::string& spec : {"replace:" + p + "=17", "knockout:" + p, "zero-state:6.3@" + p}) {
    const std::vector<Edit> edits = {parseEdit(spec)};
    const double t = bestOf(runs, [&] { runWhatIf(model, trace, edits); });
    const double ratio = t / full;
    allMet = allMet && ratio <= 0.1;
    std::cout << spec << ": " << t << " s, " << ratio << "x the full trace ("
              << (ratio <= 0.1 ? "meets" : "MISSES") << " the 0.1x target)\n";
  }
  const int64_t kept = S / kStatePositions, bytes = kept * bench::kLayers * bench::kDim * (4 + 8);
  std::cout << "states kept for what-if: " << kept << " x " << bench::kLayers << " layers = " << bytes / 1e6
            << " MB\npeak RSS of this process: " << bench::peakRssBytes() / 1e6 << " MB\n";
  return allMet ? 0 : 1;
}
