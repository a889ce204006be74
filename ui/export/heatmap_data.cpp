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
  const FloatArray& ref = what.isSource() || what.name == "state" ? record.state : record.terms;
  if (what.isSource() ? record.source.empty() : ref.empty()) {
    throw Error(ErrorKind::Internal, "the layer record holds no " + what.name + " (recorded without it)");
  }
  const bool terms = ref.ndim() == 4;
  const int64_t S = terms ? ref.dim(1) : ref.dim(0);
  const int64_t H = terms ? ref.dim(2) : ref.dim(1);
  const int64_t dh = terms ? ref.dim(3) : ref.dim(2);
  if (head < 0 || head >= H) {
    throw Error(ErrorKind::Usage, "head " + std::to_string(head) + " does not exist: the layer has " +
                                      std::to_string(H) + " heads (0.." + std::to_string(H - 1) + ")");
  }
  const int64_t first = record.begin;
  if (begin < first || end > first + S || begin >= end) {
    throw Error(ErrorKind::Usage, "positions " + std::to_string(begin) + ":" + std::to_string(end) +
                                      " are outside the traced positions " + std::to_string(first) + ":" +
                                      std::to_string(first + S));
  }
  const int64_t n = end - begin;
  HeatmapData out;
  out.begin = begin;
  out.title = titlePrefix + "head " + std::to_string(head) + " · " + what.name;
  if (!labels.empty()) {
    for (int64_t p = begin; p < end; ++p)
      out.positionLabels.push_back(p < static_cast<int64_t>(labels.size()) ? labels[p] : std::to_string(p));
  }
  // Layout [S, H, dh] (or [T, S, H, dh]) -> panel [dh, n]: channels down, positions across.
  auto panelOf = [&](auto&& value) {
    FloatArray panel({dh, n});
    for (int64_t j = 0; j < dh; ++j)
      for (int64_t p = 0; p < n; ++p) panel.at({j, p}) = value(p + begin - first, j);
    return panel;
  };
  if (what.name == "state") {
    out.valueLabel = "state value";
    out.panelNames = {"state"};
    out.panels.push_back(panelOf([&](int64_t s, int64_t j) { return record.state.at({s, head, j}); }));
  } else if (what.isSource()) {
    out.valueLabel = "source position";
    out.panelNames = {"source"};
    out.sources = IndexArray({dh, n});
    for (int64_t j = 0; j < dh; ++j)
      for (int64_t p = 0; p < n; ++p) out.sources.at({j, p}) = record.source.at({p + begin - first, head, j});
    out.panels.push_back(panelOf([&](int64_t s, int64_t j) {
      return static_cast<float>(record.source.at({s, head, j}));
    }));
  } else {
    const int64_t T = record.terms.dim(0);
    const int64_t t0 = what.isAllTerms() ? 0 : what.term, t1 = what.isAllTerms() ? T : what.term + 1;
    if (t1 > T) throw Error(ErrorKind::Usage, what.name + " does not exist for this layer");
    out.valueLabel = "term value";
    for (int64_t t = t0; t < t1; ++t) {
      out.panelNames.push_back("T" + std::to_string(t + 1));
      out.panels.push_back(panelOf([&](int64_t s, int64_t j) { return record.terms.at({t, s, head, j}); }));
    }
  }
  return out;
}

}  // namespace maxstate::ui
