#pragma once
// View 5: the learned scalars of every layer -- alpha1..alpha4 (as the variant has them) and the residual
// alpha -- for every open checkpoint. One or two checkpoints: bars side by side per layer. Three or more (a
// training run): one row per alpha kind, each layer a line over training step (checkpoints with no step
// after the others, in training order); hovering a point shows its values and clicking it makes that
// checkpoint current (it is traced), marked by a vertical line.
#include <QWidget>
#include <map>
#include <utility>
#include <vector>

#include "ui/data/view_data.h"
#include "ui/session/session.h"
#include "ui/views/themed_plot.h"

namespace maxstate::ui {

class AlphasView : public QWidget {
  Q_OBJECT
 public:
  explicit AlphasView(Session& session, QWidget* parent = nullptr);

  ThemedPlot* plot() const { return m_plot; }
  // The plotted value for (alpha, checkpoint, layer), bar or line point; NaN when not plotted.
  double plottedValue(AlphaKind kind, int checkpoint, int layer) const;
  int rowCount() const { return static_cast<int>(m_rows.size()); }
  // Lines over training (three or more checkpoints) rather than bars.
  bool showsLines() const { return m_lines; }
  // Where a checkpoint is on the lines' x axis (its step, or its place in training order); NaN without lines.
  double plottedX(int checkpoint) const;
  // True when the x axis is the training step (else the place in training order).
  bool xIsStep() const { return m_xIsStep; }
  // The pixel of a line point (tests click it); (-1, -1) when not plotted.
  QPointF pointPixel(AlphaKind kind, int checkpoint, int layer) const;

 signals:
  // The user clicked the point of a checkpoint: it should become current and be traced.
  void checkpointClicked(int checkpoint);

 private:
  struct Hit {
    int checkpoint = -1, layer = -1;
    AlphaKind kind = AlphaKind::Alpha1;
    double value = 0;
  };
  void rebuild();
  void buildBars(const std::vector<std::vector<LayerAlphas>>& tables);
  void buildLines(const std::vector<std::vector<LayerAlphas>>& tables);
  void addLegend(int row, const std::vector<QCPAbstractPlottable*>& entries);
  void placeCheckpoints();  // m_x, m_xIsStep from the checkpoints' training progress
  Hit hitAt(const QPointF& pixel) const;

  Session& m_session;
  ThemedPlot* m_plot;
  std::vector<AlphaKind> m_rows;
  std::map<std::pair<int, int>, QCPBars*> m_bars;     // (alpha kind, checkpoint) -> bars over layers
  std::map<std::pair<int, int>, QCPGraph*> m_graphs;  // (alpha kind, layer) -> line over training
  std::vector<double> m_x;                            // per checkpoint: its x on the lines
  bool m_lines = false;
  bool m_xIsStep = false;
};

}  // namespace maxstate::ui
