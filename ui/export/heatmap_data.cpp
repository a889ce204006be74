#include "ui/export/heatmap_data.h"

#include "maxstate/error.h"

namespace maxstate::ui {

HeatmapQuantity parseQuantity(const std::string& text, Variant variant) {
  const int T = termCount(variant);
  if (text == "state" || text == "source" || text == "terms") return {text, -1};
  if (text.size() == 2 && text[0] == 'T' && text[1] >= '1' && text[1] <= '0' + T)
    return {text, text[1] - '1'};
  std::string choices = "state, source, terms";
  for (int t = 1; t <= T; ++t) choices += ", T" + std::to_string(t);
  throw Error(ErrorKind::Usage, "unknown quantity '" + text + "' for a " + variantName(variant) +
                                    "-variant layer: choose one of " + choices);
}

std::pair<int64_t, int64_t> parseRange(const std::string& text, int64_t length) {
  const auto colon = text.find(':');
  if (colon == std::string::npos) throw Error(ErrorKind::Usage, "range '" + text + "' must look like A:B");
  auto number = [&](const std::string& s, int64_t fallback) -> int64_t {
    if (s.empty()) return fallback;
    size_t used = 0;
    long long v = 0;
    try {
      v = std::stoll(s, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != s.size())
      throw Error(ErrorKind::Usage, "range '" + text + "': '" + s + "' is not a position");
    return v < 0 ? length + v : v;  // negative counts from the end, as in Python
  };
  const int64_t a = number(text.substr(0, colon), 0);
  const int64_t b = number(text.substr(colon + 1), length);
  if (a < 0 || b > length || a >= b) {
    throw Error(ErrorKind::Usage, "range '" + text + "' is empty or outside the " + std::to_string(length) +
                                      " positions traced (valid: 0:" + std::to_string(length) + ")");
  }
  return {a, b};
}

HeatmapData extractHeatmap(const LayerRecord& record, int head, const HeatmapQuantity& what, int64_t begin,
                           int64_t end, const std::vector<std::string>& labels,
                           const std::string& titlePrefix) {
  const bool recorded = what.isSource()        ? !record.source.empty()
                        : what.name == "state" ? !record.state.empty()
                                               : record.termCount() > 0;
  if (!recorded) {
    throw Error(ErrorKind::Internal, "the layer record holds no " + what.name + " (recorded without it)");
  }
  const int64_t H = record.heads(), dh = record.headDim();
  if (head < 0 || head >= H) {
    throw Error(ErrorKind::Usage, "head " + std::to_string(head) + " does not exist: the layer has " +
                                      std::to_string(H) + " heads (0.." + std::to_string(H - 1) + ")");
  }
  if (begin < record.begin || end > record.end() || begin >= end) {
    throw Error(ErrorKind::Usage, "positions " + std::to_string(begin) + ":" + std::to_string(end) +
                                      " are outside the traced positions " + std::to_string(record.begin) +
                                      ":" + std::to_string(record.end()));
  }
  const int64_t n = end - begin;
  HeatmapData out;
  out.begin = begin;
  out.title = titlePrefix + "head " + std::to_string(head) + " · " + what.name;
  if (!labels.empty()) {
    for (int64_t p = begin; p < end; ++p)
      out.positionLabels.push_back(p < static_cast<int64_t>(labels.size()) ? labels[p] : std::to_string(p));
  }
  // A head slice -> panel [dh, n]: channels down, positions across.
  auto panelOf = [&](const auto& slice) {
    FloatArray panel({dh, n});
    for (int64_t j = 0; j < dh; ++j)
      for (int64_t p = 0; p < n; ++p) panel.at({j, p}) = static_cast<float>(slice.at(begin + p, j));
    return panel;
  };
  if (what.name == "state") {
    out.valueLabel = "state value";
    out.panelNames = {"state"};
    out.panels.push_back(panelOf(record.stateOfHead(head)));
  } else if (what.isSource()) {
    out.valueLabel = "source position";
    out.panelNames = {"source"};
    const HeadSlice<int64_t> sources = record.sourceOfHead(head);
    out.sources = IndexArray({dh, n});
    for (int64_t j = 0; j < dh; ++j)
      for (int64_t p = 0; p < n; ++p) out.sources.at({j, p}) = sources.at(begin + p, j);
    out.panels.push_back(panelOf(sources));
  } else {
    const int T = record.termCount();
    const int t0 = what.isAllTerms() ? 0 : what.term, t1 = what.isAllTerms() ? T : what.term + 1;
    if (t1 > T) throw Error(ErrorKind::Usage, what.name + " does not exist for this layer");
    out.valueLabel = "term value";
    for (int t = t0; t < t1; ++t) {
      out.panelNames.push_back("T" + std::to_string(t + 1));
      out.panels.push_back(panelOf(record.termOfHead(t, head)));
    }
  }
  return out;
}

}  // namespace maxstate::ui
