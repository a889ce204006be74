#include "cli/alphas_output.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace maxstate::cli {
namespace {

// Enough digits to give back the exact float32 value PyTorch saved (as `maxstate inspect` prints them).
std::string formatAlpha(float a) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", double(a));
  return buf;
}

std::string optionalText(const std::optional<int64_t>& v, const char* unknown) {
  return v ? std::to_string(*v) : unknown;
}

nlohmann::ordered_json optionalJson(const std::optional<int64_t>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

bool isSeed(const AlphasRow& r) { return r.summary.info.variant == Variant::Seed; }
bool isModel(const AlphasRow& r) { return r.summary.info.kind == ModelKind::Model; }

// RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled.
std::string csvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

void printAlphasJson(std::ostream& out, const std::vector<AlphasRow>& rows) {
  nlohmann::ordered_json checkpoints = nlohmann::ordered_json::array();
  for (const AlphasRow& r : rows) {
    nlohmann::ordered_json c;
    c["file"] = r.file;
    c["step"] = optionalJson(r.progress.step);
    c["epoch"] = optionalJson(r.progress.epoch);
    nlohmann::ordered_json layers = nlohmann::ordered_json::array();
    for (size_t i = 0; i < r.summary.layers.size(); ++i) {
      const LayerScalars& w = r.summary.layers[i];
      nlohmann::ordered_json layer;
      layer["index"] = i;
      layer["alpha1"] = w.alpha1;
      layer["alpha2"] = w.alpha2;
      layer["alpha3"] = w.alpha3;
      if (isSeed(r)) layer["alpha4"] = w.alpha4;
      if (isModel(r)) layer["residual_alpha"] = w.residualAlpha;
      layers.push_back(std::move(layer));
    }
    c["layers"] = std::move(layers);
    checkpoints.push_back(std::move(c));
  }
  nlohmann::ordered_json j;
  j["checkpoints"] = std::move(checkpoints);
  // Replace, not throw, on file names that are not UTF-8: the JSON stays valid and the run does not fail.
  out << j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
}

void printAlphasCsv(std::ostream& out, const std::vector<AlphasRow>& rows) {
  // Fixed columns whatever the checkpoints are, so that files from several runs concatenate; a value a
  // checkpoint does not have (alpha4 of the openash variant, a bare layer's residual alpha, an unknown
  // step) is an empty cell.
  out << "file,epoch,step,layer,alpha1,alpha2,alpha3,alpha4,residual_alpha\n";
  for (const AlphasRow& r : rows)
    for (size_t i = 0; i < r.summary.layers.size(); ++i) {
      const LayerScalars& w = r.summary.layers[i];
      out << csvField(r.file) << ',' << optionalText(r.progress.epoch, "") << ','
          << optionalText(r.progress.step, "") << ',' << i << ',' << formatAlpha(w.alpha1) << ','
          << formatAlpha(w.alpha2) << ',' << formatAlpha(w.alpha3) << ','
          << (isSeed(r) ? formatAlpha(w.alpha4) : "") << ','
          << (isModel(r) ? formatAlpha(w.residualAlpha) : "") << '\n';
    }
}

void printAlphasTable(std::ostream& out, const std::vector<AlphasRow>& rows) {
  const bool anySeed = std::any_of(rows.begin(), rows.end(), isSeed);
  const bool anyModel = std::any_of(rows.begin(), rows.end(), isModel);
  size_t layers = 0;
  for (const AlphasRow& r : rows) layers = std::max(layers, r.summary.layers.size());
  for (size_t layer = 0; layer < layers; ++layer) {
    if (layer) out << "\n";
    out << "layer " << layer << "\n";
    std::string head = "epoch  step        alpha1          alpha2          alpha3          ";
    if (anySeed) head += "alpha4          ";
    if (anyModel) head += "residual_alpha  ";
    out << head << "file\n";
    for (const AlphasRow& r : rows) {
      if (layer >= r.summary.layers.size()) continue;  // a shallower checkpoint (another architecture)
      const LayerScalars& w = r.summary.layers[layer];
      char buf[160];
      std::snprintf(buf, sizeof buf, "%-5s  %-10s  %-14s  %-14s  %-14s  ",
                    optionalText(r.progress.epoch, "-").c_str(), optionalText(r.progress.step, "-").c_str(),
                    formatAlpha(w.alpha1).c_str(), formatAlpha(w.alpha2).c_str(),
                    formatAlpha(w.alpha3).c_str());
      std::string line = buf;
      auto column = [&](bool has, float v) {
        std::snprintf(buf, sizeof buf, "%-14s  ", has ? formatAlpha(v).c_str() : "-");
        line += buf;
      };
      if (anySeed) column(isSeed(r), w.alpha4);
      if (anyModel) column(isModel(r), w.residualAlpha);
      out << line << r.file << "\n";
    }
  }
}

}  // namespace maxstate::cli
