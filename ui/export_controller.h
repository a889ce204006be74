#pragma once
// Export from the explorer: the state heatmap (one, all heads of a layer, all layers; state, sources or
// terms, any position range) and every other plot (its picture or its numbers). The dialogs ask; the export
// functions do the work and can be called without them. Layers the trace has not computed yet are computed
// off the GUI thread while a progress dialog (with Cancel) keeps the window alive.
#include <QObject>
#include <QStringList>
#include <functional>

#include "ui/session/background_work.h"
#include "ui/session/session.h"
#include "ui/views/export_dialog.h"

class QWidget;

namespace maxstate::ui {

class PredictionsView;
class StateHeatmapView;
class ThemedPlot;

class ExportController : public QObject {
  Q_OBJECT
 public:
  // Layers not computed yet are computed through `work` (the controller's).
  ExportController(Session& session, BackgroundWork& work, StateHeatmapView& heatmap, QWidget* window);

  // Open the dialogs (File > Export..., a plot's context menu).
  void exportHeatmapDialog();
  void exportPlotDialog(ThemedPlot* plot);
  void exportLensDialog(PredictionsView* view);

  // What the dialogs choose, for the dialogs and for tests: the options and file stem the heatmap dialog
  // starts with.
  HeatmapExportOptions heatmapOptions() const;
  QString heatmapStem() const;
  QString plotStem(const ThemedPlot& plot) const;

  // Writes what `choice` asks for; returns the files written. `progress(done, total)` returns false to stop.
  // Throws maxstate::Error (Usage, BadFile; Cancelled when stopped).
  QStringList exportHeatmaps(const ExportChoice& choice,
                             const std::function<bool(int, int)>& progress = {}) const;
  QString exportPlot(ThemedPlot& plot, const ExportChoice& choice) const;
  QString exportLens(const PredictionsView& view, const ExportChoice& choice) const;  // CSV or .npy

 signals:
  void errorOccurred(const QString& title, const QString& message);
  void status(const QString& message);

 private:
  QString modelName() const;
  // What if?: which run the export shows (" · edited run (replace:5=17)"), for titles; empty without edits.
  QString runTitle() const;
  QString runStem() const;  // "_edited", "_base", "_difference" or empty
  std::shared_ptr<const LayerRecord> recordOf(const std::shared_ptr<const Trace>& trace, int layer) const;

  Session& m_session;
  BackgroundWork& m_work;
  StateHeatmapView& m_heatmap;
  QWidget* m_window;
};

}  // namespace maxstate::ui
