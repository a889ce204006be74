// maxstate inspect: what a checkpoint holds -- its format, the architecture recognised in it, its sizes and
// every layer's learned alphas -- as a readable summary or as exactly one JSON object for scripts.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/commands.h"
#include "maxstate/architecture.h"
#include "maxstate/error.h"
#include "maxstate/resources.h"

namespace maxstate::cli {
namespace {

const char* kUsage =
    "Usage: maxstate inspect [PATH] [--heads N] [--json]\n"
    "\n"
    "Shows what a checkpoint holds: its file format, the architecture recognised in it (an OpenASH model or "
    "a\n"
    "bare MaxStateSuper layer, openash or seed variant), vocabulary and hidden size, heads, layers, the "
    "number of\n"
    "parameters, the dtype they are stored in, and each layer's alphas.\n"
    "\n"
    "  PATH         a torch.save file (zip or legacy), a .safetensors file or a TorchScript archive;\n"
    "               without PATH, the bundled demo model\n"
    "  --heads N    the number of heads of a seed-variant checkpoint, which its shapes cannot tell; instead, "
    "a\n"
    "               side file PATH.json containing {\"heads\": N} is read when present\n"
    "  --json       print exactly one JSON object instead of the summary\n"
    "\n"
    "Exit status: 0 success, 1 a file that cannot be used (one line on stderr says why), 2 usage errors.\n";

// Enough digits to give back the exact float32 value PyTorch saved.
std::string formatAlpha(float a) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", double(a));
  return buf;
}

// 84930864 -> "84,930,864"
std::string withThousands(int64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0 && digits[i - 1] != '-') out += ',';
    out += digits[i];
  }
  return out;
}

nlohmann::ordered_json toJson(const ModelSummary& m) {
  const ModelInfo& info = m.info;
  nlohmann::ordered_json j;
  j["format"] = formatName(info.format);
  j["variant"] = variantName(info.variant);
  j["kind"] = kindName(info.kind);
  j["vocab_size"] =
      info.vocabSize ? nlohmann::ordered_json(*info.vocabSize) : nlohmann::ordered_json(nullptr);
  j["hidden"] = info.hidden;
  j["heads"] = info.heads;
  j["layers"] = info.layers;
  j["dtype"] = storageTypeName(info.dtype);
  j["parameters"] = info.parameters;
  nlohmann::ordered_json layers = nlohmann::ordered_json::array();
  for (size_t i = 0; i < m.layers.size(); ++i) {
    const LayerScalars& w = m.layers[i];
    nlohmann::ordered_json layer;
    layer["index"] = i;
    layer["alpha1"] = w.alpha1;
    layer["alpha2"] = w.alpha2;
    layer["alpha3"] = w.alpha3;
    if (info.variant == Variant::Seed) layer["alpha4"] = w.alpha4;
    if (info.kind == ModelKind::Model) layer["residual_alpha"] = w.residualAlpha;
    layers.push_back(std::move(layer));
  }
  j["layers_info"] = std::move(layers);
  return j;
}

void printSummary(std::ostream& out, const std::string& path, const ModelSummary& m) {
  const ModelInfo& info = m.info;
  const bool seed = info.variant == Variant::Seed;
  const bool model = info.kind == ModelKind::Model;
  auto row = [&](const char* name, const std::string& value) {
    out << name << std::string(12 - std::string(name).size(), ' ') << value << "\n";
  };
  row("file", path);
  row("format", formatName(info.format));
  row("variant", std::string(variantName(info.variant)) + " (terms T1..T" +
                     std::to_string(termCount(info.variant)) + ")");
  row("kind",
      model ? "model (OpenASH: embedding, decoder layers, head)" : "layer (a bare MaxStateSuper layer)");
  if (info.vocabSize) row("vocab size", std::to_string(*info.vocabSize));
  row("hidden", std::to_string(info.hidden));
  row("heads", std::to_string(info.heads) + " (head size " + std::to_string(info.hidden / info.heads) + ")");
  row("layers", std::to_string(info.layers));
  row("parameters", withThousands(info.parameters));
  row("dtype", storageTypeName(info.dtype));

  out << "\nlayer  alpha1          alpha2          alpha3" << (seed ? "          alpha4 (unused)" : "")
      << (model ? (seed ? "  residual_alpha" : "          residual_alpha") : "") << "\n";
  for (size_t i = 0; i < m.layers.size(); ++i) {
    const LayerScalars& w = m.layers[i];
    char buf[200];
    std::snprintf(buf, sizeof buf, "%5zu  %-14s  %-14s  %-14s", i, formatAlpha(w.alpha1).c_str(),
                  formatAlpha(w.alpha2).c_str(), formatAlpha(w.alpha3).c_str());
    std::string line = buf;
    if (seed) {
      std::snprintf(buf, sizeof buf, "  %-15s", formatAlpha(w.alpha4).c_str());
      line += buf;
    }
    if (model) line += "  " + formatAlpha(w.residualAlpha);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  }
}

// Without PATH: the bundled demo model. No demo installed is a usage problem (give a PATH); a demo that is
// installed but broken is a file problem, reported as such by demoModelPath().
std::string demoModelOrUsageError() {
  try {
    demoDir();
  } catch (const Error& e) {
    throw Error(ErrorKind::Usage, std::string("no PATH given, and ") + e.what());
  }
  return demoModelPath();
}

int runInspect(const std::vector<std::string>& argv) {
  const Args args(argv, {"heads"}, {"json"});
  const auto& positional = args.positional();
  if (positional.size() > 1)
    throw Error(ErrorKind::Usage, "expected one PATH, got " + std::to_string(positional.size()) + ": " +
                                      positional[0] + ", " + positional[1] +
                                      (positional.size() > 2 ? ", ..." : ""));
  const std::string path = positional.empty() ? demoModelOrUsageError() : positional[0];
  std::optional<int64_t> heads;
  if (auto h = args.integer("heads")) heads = *h;

  // The declarations and the scalars only: no weight matrix is read or converted.
  const ModelSummary m = inspectModel(path, heads);
  if (args.has("json"))
    std::cout << toJson(m).dump() << "\n";
  else
    printSummary(std::cout, path, m);
  return 0;
}

}  // namespace

Command inspectCommand() {
  return {"inspect", "show what a checkpoint holds: architecture, sizes, dtype, alphas", kUsage, &runInspect};
}

}  // namespace maxstate::cli
