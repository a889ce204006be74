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

 private:
  void rebuild();
  void update();

  Session& m_session;
  ThemedPlot* m_plot;
  QCPColorMap* m_map;
  QCPColorScale* m_scale;
  QCPItemRect* m_selected;
  QCPTextElement* m_title;
  std::vector<std::vector<double>> m_shares;  // [H][cursor + 1], what is plotted
};

}  // namespace maxstate::ui
