#pragma once
// A QCustomPlot that follows the application palette (light/dark) and replots lazily.
#include <qcustomplot.h>

namespace maxstate::ui {

class ThemedPlot : public QCustomPlot {
  Q_OBJECT
 public:
  explicit ThemedPlot(QWidget* parent = nullptr);
  // Coalesces many changes into one replot at the next event loop turn.
  void replotSoon() { replot(QCustomPlot::rpQueuedReplot); }
  // A vertical line at `x` spanning the axis rect, in the cursor colour, on a buffered layer of its own.
  QCPItemStraightLine* addCursorLine(QCPAxisRect* rect = nullptr);
  static void moveCursorLine(QCPItemStraightLine* line, double x);
  // Redraws only the cursor layer: a step repaints one line, not the colour map or the graphs under it.
  void replotCursor();

 signals:
  void restyled();  // after a palette change: views re-colour their own items

 protected:
  void changeEvent(QEvent* event) override;

 private:
  QCPLayer* cursorLayer();
};

}  // namespace maxstate::ui
