#pragma once
// A QCustomPlot that follows the application palette (light/dark) and replots lazily, and that can be
// exported (right-click > Export...): its picture, or the numbers it shows.
#include <qcustomplot.h>

#include <functional>

#include "ui/export/plot_export.h"

namespace maxstate::ui {

// The parts of a heatmap plot (see ThemedPlot::addHeatmap).
struct HeatmapParts {
  QCPTextElement* title;
  QCPColorMap* map;
  QCPColorScale* scale;
};

class ThemedPlot : public QCustomPlot {
  Q_OBJECT
 public:
  explicit ThemedPlot(QWidget* parent = nullptr);
  // Coalesces many changes into one replot at the next event loop turn.
  void replotSoon() { replot(QCustomPlot::rpQueuedReplot); }
  // A vertical line at `x` spanning the axis rect, in the cursor colour, on a buffered layer of its own.
  QCPItemStraightLine* addCursorLine(QCPAxisRect* rect = nullptr);
  static void moveCursorLine(QCPItemStraightLine* line, double x);
  // A bold title row above the axes, a colour map (cells drawn without interpolation) on the axes, and its
  // colour scale at the right, kept as tall as the axis rect.
  HeatmapParts addHeatmap(const QString& xLabel, const QString& yLabel, const QString& scaleLabel,
                          const QCPColorGradient& gradient);
  // A tick at every integer (heads, tokens) that thins out to multiples when crowded.
  static QSharedPointer<QCPAxisTickerFixed> integerTicker();
  // Redraws only the cursor layer: a step repaints one line, not the colour map or the graphs under it.
  void replotCursor();

  // What the plot is called in menus and as the default file name ("sources", "terms over positions").
  QString exportName() const { return m_exportName; }
  void setExportName(const QString& name) { m_exportName = name; }
  // The numbers shown: tableFromPlot() unless the view knows better (e.g. zeros drawn as blanks).
  PlotTable exportTable();
  void setTableProvider(std::function<PlotTable()> provider) { m_tableProvider = std::move(provider); }
  // Adds actions of its own (what-if edits) below Export and Copy in the plot's context menu; `at` is in plot
  // pixels.
  using MenuExtender = std::function<void(QMenu& menu, const QPoint& at)>;
  void setMenuExtender(MenuExtender extender) { m_menuExtender = std::move(extender); }
  // Puts the plot as drawn on the clipboard (context menu: Copy the image).
  void copyImage();

  // While nothing is traced: a short text drawn instead of the plot (no empty axes, colour scale or cursor);
  // an empty text shows the plot again.
  void setPlaceholder(const QString& text);
  QString placeholder() const { return m_placeholder; }

 signals:
  void restyled();         // after a palette change: views re-colour their own items
  void exportRequested();  // the user asked to export this plot (context menu)

 protected:
  void changeEvent(QEvent* event) override;
  void contextMenuEvent(QContextMenuEvent* event) override;
  void paintEvent(QPaintEvent* event) override;

 private:
  QCPLayer* cursorLayer();
  QString m_exportName;
  QString m_placeholder;
  std::function<PlotTable()> m_tableProvider;
  MenuExtender m_menuExtender;
};

}  // namespace maxstate::ui
