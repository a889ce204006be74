#pragma once
// What the edits change (what if?): KL(P_base || P_edited) of the next-token distributions at every position
// of the edited run (gaps where a position has no base counterpart), with the positions whose top-1
// prediction changed marked, and the cursor line. Positions are those of the edited run.
#include <QWidget>
#include <vector>

#include "ui/session/session.h"
#include "ui/views/themed_plot.h"

namespace maxstate::ui {

class KlView : public QWidget {
  Q_OBJECT
 public:
  explicit KlView(Session& session, QWidget* parent = nullptr);

  ThemedPlot* plot() const { return m_plot; }
  QCPGraph* klGraph() const { return m_kl; }
  QCPGraph* top1Graph() const { return m_top1; }  // one point per position whose top-1 changed

 private:
  void rebuild();
  void onCursor(qint64 position);

  Session& m_session;
  ThemedPlot* m_plot;
  QCPGraph* m_kl;
  QCPGraph* m_top1;
  QCPItemStraightLine* m_cursor;
  QCPTextElement* m_title;
};

}  // namespace maxstate::ui
