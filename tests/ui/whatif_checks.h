#pragma once
// Reads back what the what-if views show and compares it with the core's arrays: the difference heatmap
// against the edited record's state minus the base record's state (positions mapped by baseOf), the KL plot
// against the run's KL list.
#include <QtTest>
#include <cmath>

#include "ui/main_window.h"
#include "ui/views/kl_view.h"
#include "ui/views/state_heatmap_view.h"
#include "view_checks.h"

namespace maxstate::test {

#define WI_CHECK(cond, ...)                                                      \
  do {                                                                           \
    if (!(cond)) {                                                               \
      qWarning().noquote() << "check failed:" << #cond << describe(__VA_ARGS__); \
      return false;                                                              \
    }                                                                            \
  } while (0)

// The heatmap holds edited minus base for the selected layer and head; no counterpart: NaN (blank).
inline bool checkDifferenceHeatmap(ui::MainWindow& w) {
  const auto& s = w.session();
  WI_CHECK(s.whatIf() && s.showsDifference() && w.heatmapView()->showsDifference());
  const maxstate::WhatIf& run = *s.whatIf();
  // The core's own records, fetched independently of the session.
  const auto edited = run.edited->layer(s.layer());
  const auto base = s.baseTrace()->layer(s.layer());
  WI_CHECK(s.trace() == run.edited);
  WI_CHECK(edited->begin == 0 && base->begin == 0, edited->begin, base->begin);
  const int64_t n = edited->state.dim(0);
  const int64_t dh = edited->state.dim(2);
  QCPColorMapData* data = w.heatmapView()->colorMap()->data();
  WI_CHECK(data->keySize() == n && data->valueSize() == dh, data->keySize(), data->valueSize());
  int blanks = 0;
  for (int64_t p = 0; p < n; ++p) {
    const auto from = run.baseOf[static_cast<size_t>(p)];
    for (int64_t j = 0; j < dh; ++j) {
      const double shown = data->cell(static_cast<int>(p), static_cast<int>(j));
      if (!from) {
        WI_CHECK(std::isnan(shown), "position", p, "has no base counterpart but shows", shown);
        ++blanks;
        continue;
      }
      const double core = static_cast<double>(edited->state.at({p, s.head(), j})) -
                          static_cast<double>(base->state.at({*from, s.head(), j}));
      WI_CHECK(shown == core, "position", p, "channel", j, shown, core);
    }
  }
  // Diverging: symmetric around zero.
  const QCPRange range = w.heatmapView()->colorMap()->dataRange();
  WI_CHECK(range.lower == -range.upper, range.lower, range.upper);
  return true;
}

inline bool checkKl(ui::MainWindow& w) {
  const auto& s = w.session();
  const maxstate::WhatIf& run = *s.whatIf();
  auto kl = w.klView()->klGraph()->data();
  WI_CHECK(kl->size() == static_cast<int>(run.kl.size()), kl->size());
  int changed = 0;
  for (size_t t = 0; t < run.kl.size(); ++t) {
    const double shown = kl->at(static_cast<int>(t))->value;
    if (run.kl[t])
      WI_CHECK(shown == *run.kl[t], "position", t, shown, *run.kl[t]);
    else
      WI_CHECK(std::isnan(shown), "position", t);
    changed += run.top1Base[t] && *run.top1Base[t] != run.top1Edited[t];
  }
  WI_CHECK(w.klView()->top1Graph()->data()->size() == changed, changed);
  return true;
}

#undef WI_CHECK

}  // namespace maxstate::test
