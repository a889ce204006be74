// maxstate whatif (issue 13): traces the input, reruns it with token edits and interventions (SPEC.md section
// 5), and writes both runs in the layout of `maxstate trace` with a summary of what changed.
// Runs in libmaxstate-run.so (cli/run_module_abi.h); its help is in the executable (cmd_whatif_usage.cpp).
#include <filesystem>
#include <iostream>

#include "cli/args.h"
#include "cli/index_option.h"
#include "cli/run_request.h"
#include "cli/trace_output.h"
#include "maxstate/atomic_file.h"
#include "maxstate/error.h"
#include "maxstate/whatif.h"

namespace maxstate::cli {
namespace {

namespace fs = std::filesystem;

template <class T>
nlohmann::ordered_json orNull(const std::optional<T>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json();
}

// DIR/summary.json: the fields, exactly, then what a reader needs to line the two runs up.
nlohmann::ordered_json summary(const std::vector<std::string>& specs, const WhatIf& w) {
  nlohmann::ordered_json s;
  s["edits"] = specs;
  s["length_base"] = w.base->length();
  s["length_edited"] = w.edited->length();
  s["first_affected"] = w.firstAffected;
  s["kl"] = nlohmann::ordered_json::array();
  for (const auto& v : w.kl) s["kl"].push_back(orNull(v));
  s["top1_base"] = nlohmann::ordered_json::array();
  for (const auto& v : w.top1Base) s["top1_base"].push_back(orNull(v));
  s["top1_edited"] = w.top1Edited;
  s["base_position"] = nlohmann::ordered_json::array();  // per edited position, its base position (or null)
  for (const auto& v : w.baseOf) s["base_position"].push_back(orNull(v));
  return s;
}

std::vector<std::string> positionLabels(int64_t length) {
  std::vector<std::string> labels;
  for (int64_t p = 0; p < length; ++p) labels.push_back(std::to_string(p));
  return labels;
}

// One line for the terminal: where the prediction changed most.
void printOutcome(const WhatIf& w, const std::string& out) {
  std::cout << "what-if: " << w.base->length() << " -> " << w.edited->length()
            << " position(s), recomputed from position " << w.firstAffected;
  if (!w.kl.empty()) {
    int64_t changed = 0, worst = -1;
    for (size_t t = 0; t < w.kl.size(); ++t) {
      if (w.top1Base[t] && *w.top1Base[t] != w.top1Edited[t]) ++changed;
      if (w.kl[t] && (worst < 0 || *w.kl[t] > *w.kl[static_cast<size_t>(worst)]))
        worst = static_cast<int64_t>(t);
    }
    std::cout << "; top-1 changed at " << changed << " position(s)";
    if (worst >= 0) std::cout << ", largest KL " << *w.kl[static_cast<size_t>(worst)] << " at " << worst;
  }
  std::cout << "; wrote " << out << "/base, " << out << "/edited and " << out << "/summary.json\n";
}

}  // namespace

int runWhatIfCommand(const std::vector<std::string>& argv) {
  const Args args(argv, runOptions({"edit", "layer", "out"}), {});
  if (args.has("mode"))  // the edited run continues from the base run's states: one mode for both
    throw Error(ErrorKind::Usage, "--mode is not an option of whatif: both runs are parallel runs");
  const auto out = args.value("out");
  if (!out || out->empty())
    throw Error(ErrorKind::Usage, "--out DIR is required: the folder to write both runs and the summary to");
  const std::vector<std::string> specs = args.values("edit");
  if (specs.empty())
    throw Error(ErrorKind::Usage,
                "give at least one --edit SPEC (e.g. --edit replace:3=17 or --edit knockout:5)");
  // The specs' syntax is checked before the model is loaded; whether they fit it, by runWhatIf.
  std::vector<Edit> edits;
  for (const auto& spec : specs) edits.push_back(parseEdit(spec));

  std::vector<int> layers;
  const TracedRun run = runFromArguments(args, [&](const ModelInfo& info) {
    layers =
        parseAllOrIndex("layer", args.value("layer").value_or("all"), static_cast<int>(info.layers), "layer");
  });
  const WhatIf w = runWhatIf(*run.model, run.trace, edits);
  const bool isModel = run.trace->info().kind == ModelKind::Model;

  TraceOutput base;
  base.dir = (fs::path(*out) / "base").string();
  base.layers = layers;
  base.labels = run.labels;
  base.describe = describeRun(run);
  writeTraceFiles(*w.base, base);

  TraceOutput edited = base;
  edited.dir = (fs::path(*out) / "edited").string();
  edited.labels = isModel ? run.vocabulary.labels(w.editedIds) : positionLabels(w.edited->length());
  edited.describe["edits"] = specs;
  writeTraceFiles(*w.edited, edited);

  const std::string text = summary(specs, w).dump(2) + "\n";
  writeFileAtomically((fs::path(*out) / "summary.json").string(), [&](std::ostream& s) { s << text; });
  printOutcome(w, *out);
  return 0;
}

}  // namespace maxstate::cli
