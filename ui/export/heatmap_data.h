#pragma once
// What a heatmap shows, as plain data: one or more panels of channels x positions, with the labels a figure
// or a data file needs. Built from a LayerRecord; shared by the explorer's export dialog and `maxstate
// export`.
#include <optional>
#include <string>
#include <vector>

#include "maxstate/array.h"
#include "maxstate/layer.h"

namespace maxstate::ui {

// "state", "source", "terms" (all terms of the variant) or "T1".."T6".
struct HeatmapQuantity {
  std::string name;
  int term = -1;  // 0-based term index for "Tk"; -1 otherwise
  bool isSource() const { return name == "source"; }
  bool isAllTerms() const { return name == "terms"; }
};
// Throws Error(Usage) naming the valid choices for this variant.
HeatmapQuantity parseQuantity(const std::string& text, Variant variant);

struct HeatmapData {
  std::string title;                        // e.g. "openash_step0600 · layer 1 · head 2 · state"
  std::string valueLabel;                   // colour-scale label
  int64_t begin = 0;                        // global position of the first column
  std::vector<std::string> positionLabels;  // token labels of the columns (may be empty)
  std::vector<std::string> panelNames;      // one per panel: "state", "T1", ...
  std::vector<FloatArray> panels;           // each [channels, positions]
  IndexArray sources;  // "source" only: [channels, positions] global positions (exact, int64)
  int64_t channels() const { return panels.empty() ? 0 : panels[0].dim(0); }
  int64_t positions() const { return panels.empty() ? 0 : panels[0].dim(1); }
};

// Positions [begin, end) of one head of a layer record. `labels` are the record's token labels (one per
// position of the whole trace, may be empty). Throws Error(Usage) for a head or range outside the record.
HeatmapData extractHeatmap(const LayerRecord& record, int head, const HeatmapQuantity& what, int64_t begin,
                           int64_t end, const std::vector<std::string>& labels,
                           const std::string& titlePrefix);

// Parses "A:B" (either side may be empty: ":B", "A:") against a sequence of `length` positions.
std::pair<int64_t, int64_t> parseRange(const std::string& text, int64_t length);

}  // namespace maxstate::ui
