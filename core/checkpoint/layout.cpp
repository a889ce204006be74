#include "checkpoint/layout.h"

#include <map>
#include <set>
#include <vector>

namespace maxstate::detail {
namespace {

std::vector<std::string> splitDots(const std::string& key) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t dot; (dot = key.find('.', start)) != std::string::npos; start = dot + 1)
    parts.push_back(key.substr(start, dot - start));
  parts.push_back(key.substr(start));
  return parts;
}

std::string joinPrefix(const std::vector<std::string>& parts, size_t count) {
  std::string out;
  for (size_t i = 0; i < count; ++i) out += parts[i] + ".";
  return out;
}

bool endsWith(const std::vector<std::string>& parts, const char* a, const char* b) {
  const size_t n = parts.size();
  return n >= 2 && parts[n - 2] == a && parts[n - 1] == b;
}

}  // namespace

std::optional<int> parseLayerIndex(const std::string& text) {
  if (text.empty() || text.size() > 5) return std::nullopt;
  for (char c : text)
    if (c < '0' || c > '9') return std::nullopt;
  if (text.size() > 1 && text[0] == '0') return std::nullopt;
  return std::stoi(text);
}

Layout detectLayout(const Checkpoint& checkpoint) {
  // Votes for the prefix of a model: each key that can only belong to a model names the prefix it sits under.
  std::map<std::string, int> modelVotes;
  std::set<std::string> attentionLayers;  // "<prefix>decoder_layers.N." holding a self_attention_linear key
  std::map<std::string, int> attentionModelPrefixes;
  std::vector<std::string> combinedPrefixes;

  for (const auto& [key, tensor] : checkpoint.tensors) {
    const std::vector<std::string> parts = splitDots(key);
    if (endsWith(parts, "em", "weight") || endsWith(parts, "head_score", "weight"))
      ++modelVotes[joinPrefix(parts, parts.size() - 2)];
    if (endsWith(parts, "combined", "weight"))
      combinedPrefixes.push_back(joinPrefix(parts, parts.size() - 2));
    for (size_t i = 0; i + 2 < parts.size(); ++i) {
      if (parts[i] != "decoder_layers" || !parseLayerIndex(parts[i + 1])) continue;
      const std::string modelPrefix = joinPrefix(parts, i);
      if (parts[i + 2] == "self_attention_linear") {
        attentionLayers.insert(joinPrefix(parts, i + 2));
        ++attentionModelPrefixes[modelPrefix];
      } else {
        ++modelVotes[modelPrefix];
      }
      break;
    }
  }
  // Several decoder layers' attention weights (and nothing else) are still a model, one with keys missing.
  if (modelVotes.empty() && attentionLayers.size() > 1) modelVotes = attentionModelPrefixes;

  if (!modelVotes.empty()) {
    // The prefix most keys agree on; keys under any other prefix are reported as not understood.
    auto best = modelVotes.begin();
    for (auto it = modelVotes.begin(); it != modelVotes.end(); ++it)
      if (it->second > best->second) best = it;
    return {LayoutKind::Model, best->first};
  }
  if (combinedPrefixes.size() == 1) return {LayoutKind::Layer, combinedPrefixes.front()};
  return {};
}

}  // namespace maxstate::detail
