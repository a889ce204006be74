#pragma once
// View 5: the learned scalars of every layer -- alpha1..alpha4 (as the variant has them) and the residual
// alpha -- for every open checkpoint side by side, so that successive training checkpoints can be compared.
#include <QWidget>
#include <map>
#include <utility>

#include "ui/data/view_data.h"
#include "ui/session/session.h"
#include "ui/views/themed_plot.h"

namespace maxstate::ui {

class AlphasView : public QWidget {
  Q_OBJECT
 public:
  explicit AlphasView(Session& session, QWidget* parent = nullptr);

  ThemedPlot* plot() const { return m_plot; }
  // The plotted bar for (alpha, checkpoint, layer); NaN when not plotted.
  double plottedValue(AlphaKind kind, int checkpoint, int layer) const;
  int rowCount() const { return static_cast<int>(m_rows.size()); }

 private:
  void rebuild();

  Session& m_session;
  ThemedPlot* m_plot;
  std::vector<AlphaKind> m_rows;
  std::map<std::pair<int, int>, QCPBars*> m_bars;  // (alpha kind, checkpoint) -> bars over layers
};

}  // namespace maxstate::ui
