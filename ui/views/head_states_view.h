#pragma once
// View 2: the state at the cursor for every head of the selected layer (heads x channels), on one colour
// range for the whole layer so that stepping shows growth. Clicking a head selects it.
#include <QWidget>

#include "ui/session/session.h"
#include "ui/views/themed_plot.h"

namespace maxstate::ui {

class HeadStatesView : public QWidget {
  Q_OBJECT
 public:
  explicit HeadStatesView(Session& session, QWidget* parent = nullptr);

  ThemedPlot* plot() const { return m_plot; }
  QCPColorMap* colorMap() const { return m_map; }

 private:
  void rebuild();
  void update();
  void markHead();

  Session& m_session;
  ThemedPlot* m_plot;
  QCPColorMap* m_map;
  QCPColorScale* m_scale;
  QCPItemRect* m_selected;
  QCPTextElement* m_title;
};

}  // namespace maxstate::ui
