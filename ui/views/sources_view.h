#pragma once
// View 3: at the cursor, which earlier tokens hold the state: per head (rows), the share of the head's
// channels whose value each token (columns, up to the cursor) set. The MaxState counterpart of an attention
// map.
#include <QWidget>

#include "ui/session/session.h"
#include "ui/views/themed_plot.h"

namespace maxstate::ui {

class SourcesView : public QWidget {
  Q_OBJECT
 public:
  explicit SourcesView(Session& session, QWidget* parent = nullptr);

  ThemedPlot* plot() const { return m_plot; }
  // Cells hold the share of channels; tokens holding none are NaN (drawn transparent).
  QCPColorMap* colorMap() const { return m_map; }
  QString cellText(int64_t head, int64_t token) const;
  // What if?, Difference: the cells (head, token) whose share differs from the base run's at the cursor's
  // base position (a token without a base counterpart counts as changed where it holds something); each is
  // marked with a cross.
  const std::vector<std::pair<int64_t, int64_t>>& changedCells() const { return m_changed; }

 private:
  void rebuild();
  void update();
  void markChanges(int64_t position);

  Session& m_session;
  ThemedPlot* m_plot;
  QCPColorMap* m_map;
  QCPColorScale* m_scale;
  QCPItemRect* m_selected;
  QCPTextElement* m_title;
  std::vector<std::vector<double>> m_shares;  // [H][cursor + 1], what is plotted
  QCPGraph* m_marks;
  std::vector<std::pair<int64_t, int64_t>> m_changed;
};

}  // namespace maxstate::ui
