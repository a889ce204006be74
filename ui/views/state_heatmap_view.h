#pragma once
// View 1: the state of the selected layer and head, channels x positions, with the cursor line, a colour
// scale and a tooltip naming the value, the position and token, and the token the cell's value came from.
#include <QWidget>

#include "ui/session/session.h"
#include "ui/views/themed_plot.h"

namespace maxstate::ui {

class StateHeatmapView : public QWidget {
  Q_OBJECT
 public:
  explicit StateHeatmapView(Session& session, QWidget* parent = nullptr);

  // What is plotted, for tests and export.
  ThemedPlot* plot() const { return m_plot; }
  QCPColorMap* colorMap() const { return m_map; }
  QString title() const;  // the text above the map (which run, or the difference)
  double cursorLineX() const;
  // The tooltip text for a cell (empty outside the data).
  QString cellText(int64_t position, int64_t channel) const;
  // True while the map shows the edited minus the base state (what-if, Difference).
  bool showsDifference() const { return m_difference; }
  // One cell of the difference, as the map holds it (tests compute it the same way from the core's arrays).
  static double differenceAt(float edited, float base) {
    return static_cast<double>(edited) - static_cast<double>(base);
  }

 private:
  void rebuild();
  void rebuildDifference();
  QString runName() const;
  void onCursor(qint64 position);
  void onMouseMove(QMouseEvent* event);
  void onMousePress(QMouseEvent* event);
  bool cellAt(const QPointF& pixel, int64_t& position, int64_t& channel) const;

  Session& m_session;
  ThemedPlot* m_plot;
  QCPColorMap* m_map;
  QCPColorScale* m_scale;
  QCPItemStraightLine* m_cursor;
  QCPTextElement* m_title;
  bool m_difference = false;
};

}  // namespace maxstate::ui
