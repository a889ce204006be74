#include "cli/trace_output.h"

#include <filesystem>

#include "maxstate/atomic_file.h"
#include "maxstate/error.h"
#include "maxstate/npy.h"

namespace maxstate::cli {
namespace {

namespace fs = std::filesystem;

void makeDir(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) {
    throw Error(ErrorKind::BadFile, "cannot create the output folder " + dir.string() + ": " +
                                        (ec ? ec.message() : "a file of that name exists"));
  }
}

// Writes one array and notes its dtype and shape for meta.json.
template <class T>
void write(const fs::path& root, const std::string& name, const Array<T>& a, nlohmann::ordered_json& files) {
  writeNpy((root / name).string(), a);
  files[name] = {{"dtype", std::is_same_v<T, float> ? "float32" : "int64"}, {"shape", a.shape()}};
}

nlohmann::ordered_json modelInfo(const ModelInfo& info) {
  return {{"format", formatName(info.format)},
          {"variant", variantName(info.variant)},
          {"kind", kindName(info.kind)},
          {"vocab_size", info.vocabSize ? nlohmann::ordered_json(*info.vocabSize) : nlohmann::ordered_json()},
          {"hidden", info.hidden},
          {"heads", info.heads},
          {"layers", info.layers},
          {"dtype", storageTypeName(info.dtype)},
          {"parameters", info.parameters}};
}

}  // namespace

void writeTraceFiles(const Trace& trace, const TraceOutput& out) {
  const fs::path root(out.dir);
  makeDir(root);
  nlohmann::ordered_json files = nlohmann::ordered_json::object();
  for (int l : out.layers) {
    const std::string dir = "layer" + std::to_string(l);
    makeDir(root / dir);
    write(root, dir + "/input.npy", trace.layerInput(l), files);
    const auto record = trace.layer(l);
    write(root, dir + "/state.npy", record->state, files);
    write(root, dir + "/source.npy", record->source, files);
    write(root, dir + "/terms.npy", record->terms, files);
    write(root, dir + "/output.npy", record->output, files);
  }
  const bool model = trace.info().kind == ModelKind::Model;
  if (model) write(root, "logits.npy", trace.logits(0, trace.length()), files);

  nlohmann::ordered_json meta = out.describe;
  meta["model"].update(modelInfo(trace.info()));
  meta["mode"] = trace.options().mode == RunMode::Step ? "step" : "parallel";
  meta["length"] = trace.length();
  meta["dim"] = trace.info().hidden;
  meta["heads"] = trace.info().heads;
  meta["head_dim"] = trace.info().hidden / trace.info().heads;
  meta["terms"] = nlohmann::ordered_json::array();
  for (int t = 1; t <= termCount(trace.info().variant); ++t) meta["terms"].push_back("T" + std::to_string(t));
  meta["traced_layers"] = out.layers;
  meta["tokens"] = trace.tokens();
  meta["labels"] = out.labels;
  meta["files"] = std::move(files);
  writeFileAtomically((root / "meta.json").string(), [&](std::ostream& s) { s << meta.dump(2) << "\n"; });
}

}  // namespace maxstate::cli
