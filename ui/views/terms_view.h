#pragma once
// View 4: the layer's terms (T1..T5, or T1..T6 for OpenASH) for the selected head: each term's magnitude (L2
// norm over the head's channels) over positions with the cursor line, and the breakdown at the cursor as
// bars.
#include <QWidget>
#include <vector>

#include "ui/session/session.h"
#include "ui/views/themed_plot.h"

class QCheckBox;

namespace maxstate::ui {

class TermsView : public QWidget {
  Q_OBJECT
 public:
  explicit TermsView(Session& session, QWidget* parent = nullptr);

  ThemedPlot* linesPlot() const { return m_lines; }
  ThemedPlot* barsPlot() const { return m_barsPlot; }
  // The breakdown bar of term `term` (0-based), NaN if absent.
  double barValue(int term) const;
  int termCount() const { return static_cast<int>(m_bars.size()); }
  double cursorLineX() const { return m_cursor->point1->coords().x(); }

 private:
  void rebuild();
  void update();
  void updateBreakdown();
  void setLogScale(bool on);

  Session& m_session;
  ThemedPlot* m_lines;
  ThemedPlot* m_barsPlot;
  std::vector<QCPBars*> m_bars;  // one per term, coloured like its line
  QCPItemStraightLine* m_cursor;
  QCPTextElement* m_title;
  QCheckBox* m_log;
};

}  // namespace maxstate::ui
