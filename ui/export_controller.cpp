#include "ui/export_controller.h"

#include <QDir>
#include <QFileInfo>
#include <QProgressDialog>
#include <cmath>
#include <limits>

#include "maxstate/error.h"
#include "ui/data/edit_text.h"
#include "ui/data/view_data.h"
#include "ui/export/heatmap_data.h"
#include "ui/views/predictions_view.h"
#include "ui/views/state_heatmap_view.h"
#include "ui/views/themed_plot.h"

namespace maxstate::ui {

namespace {

std::vector<int> upTo(int n) {
  std::vector<int> out;
  for (int i = 0; i < n; ++i) out.push_back(i);
  return out;
}

// Turns a state panel of the edited run into edited minus base (positions mapped by baseOf; NaN where a
// position has no base counterpart), as the explorer's difference heatmap shows it.
void subtractBase(HeatmapData& data, const LayerRecord& base, const WhatIf& w, int head, int64_t begin) {
  FloatArray& panel = data.panels[0];
  for (int64_t t = 0; t < panel.dim(1); ++t) {
    const size_t p = static_cast<size_t>(begin + t);
    const auto from = p < w.baseOf.size() ? w.baseOf[p] : std::nullopt;
    for (int64_t j = 0; j < panel.dim(0); ++j)
      panel.at({j, t}) = from && base.hasPosition(*from) ? panel.at({j, t}) - base.stateAt(*from, head, j)
                                                         : std::numeric_limits<float>::quiet_NaN();
  }
}

}  // namespace

ExportController::ExportController(Session& session, BackgroundWork& work, StateHeatmapView& heatmap,
                                   QWidget* window)
    : QObject(window), m_session(session), m_work(work), m_heatmap(heatmap), m_window(window) {}

// Computed on a worker while the window keeps handling events (the window-modal progress dialog takes the
// user's input: Cancel, between layers).
std::shared_ptr<const LayerRecord> ExportController::recordOf(const std::shared_ptr<const Trace>& trace,
                                                              int layer) const {
  return m_work.await<std::shared_ptr<const LayerRecord>>([trace, layer] { return trace->layer(layer); });
}

QString ExportController::modelName() const {
  const int i = m_session.tracedCheckpoint();
  return i < 0 ? QStringLiteral("maxstate") : QFileInfo(m_session.checkpoint(i).path).completeBaseName();
}

HeatmapExportOptions ExportController::heatmapOptions() const {
  HeatmapExportOptions o;
  o.model = modelName();
  o.quantities = {QStringLiteral("state"), QStringLiteral("source"), QStringLiteral("terms")};
  const auto& record = m_session.record();
  const RecordShape s = record ? recordShape(*record) : RecordShape{};
  for (int t = 0; t < s.terms; ++t) o.quantities << termName(t);
  o.layer = m_session.layer();
  o.head = m_session.head();
  o.layers = std::max(m_session.layerCount(), 1);
  o.heads = std::max(m_session.headCount(), 1);
  o.length = s.begin + s.length;
  // The positions in view (the user may have zoomed the heatmap).
  const QCPRange shown = m_heatmap.plot()->xAxis->range();
  const int64_t first = s.begin, last = s.begin + s.length;
  o.begin =
      std::clamp<int64_t>(static_cast<int64_t>(std::ceil(shown.lower)), first, std::max(last - 1, first));
  o.end = std::clamp<int64_t>(static_cast<int64_t>(std::floor(shown.upper)) + 1, o.begin + 1,
                              std::max(last, o.begin + 1));
  return o;
}

QString ExportController::runTitle() const {
  const auto& w = m_session.whatIf();
  if (!w) return {};
  if (const auto& c = m_session.comparison()) {
    const QString a = QFileInfo(c->pathA).fileName(), b = QFileInfo(c->pathB).fileName();
    switch (m_session.display()) {
      case WhatIfDisplay::Base:
        return tr(" · compare: A = %1 (reference; B = %2)").arg(a, b);
      case WhatIfDisplay::Difference:
        return tr(" · compare: difference B minus A (B = %1, A = %2)").arg(b, a);
      case WhatIfDisplay::Edited:
        break;
    }
    return tr(" · compare: B = %1 (A = %2)").arg(b, a);
  }
  QStringList specs;
  for (const SessionEdit& e : m_session.edits())
    if (e.enabled) specs << specText(e.edit);
  const QString edits = specs.join(QStringLiteral(", "));
  switch (m_session.display()) {
    case WhatIfDisplay::Base:
      return tr(" · base run (without %1)").arg(edits);
    case WhatIfDisplay::Difference:
      return tr(" · difference: edited minus base (%1)").arg(edits);
    case WhatIfDisplay::Edited:
      break;
  }
  return tr(" · edited run (%1)").arg(edits);
}

QString ExportController::runStem() const {
  if (!m_session.whatIf()) return {};
  if (m_session.comparing()) {
    const auto& c = m_session.comparison();
    const QString b = QFileInfo(c->pathB).completeBaseName();
    switch (m_session.display()) {
      case WhatIfDisplay::Base:
        return QStringLiteral("_compare_A_vs_%1").arg(b);
      case WhatIfDisplay::Difference:
        return QStringLiteral("_compare_%1_minus_A").arg(b);
      case WhatIfDisplay::Edited:
        break;
    }
    return QStringLiteral("_compare_B_%1").arg(b);
  }
  switch (m_session.display()) {
    case WhatIfDisplay::Base:
      return QStringLiteral("_base");
    case WhatIfDisplay::Difference:
      return QStringLiteral("_difference");
    case WhatIfDisplay::Edited:
      break;
  }
  return QStringLiteral("_edited");
}

QString ExportController::heatmapStem() const {
  return QStringLiteral("%1_layer%2_head%3%4")
      .arg(modelName())
      .arg(m_session.layer())
      .arg(m_session.head())
      .arg(runStem());
}

QString ExportController::plotStem(const ThemedPlot& plot) const {
  QString name = plot.exportName().isEmpty() ? QStringLiteral("plot") : plot.exportName();
  name.replace(QLatin1Char(' '), QLatin1Char('_'));
  return modelName() + QStringLiteral("_") + name + runStem();
}

QStringList ExportController::exportHeatmaps(const ExportChoice& choice,
                                             const std::function<bool(int, int)>& progress) const {
  if (!m_session.trace() || !m_session.record() || m_session.tracedCheckpoint() < 0)
    throw Error(ErrorKind::Usage, "nothing is traced yet: trace an input first");
  const ModelHandle& model = *m_session.checkpoint(m_session.tracedCheckpoint()).model;
  const HeatmapQuantity what = parseQuantity(choice.what.toStdString(), model.info().variant);
  const std::vector<int> layers = choice.scope == ExportScope::AllLayers
                                      ? upTo(m_session.layerCount())
                                      : std::vector<int>{m_session.layer()};
  const std::vector<int> heads =
      choice.scope == ExportScope::Head ? std::vector<int>{m_session.head()} : upTo(m_session.headCount());
  if (choice.several() && !QDir().mkpath(choice.path))
    throw Error(ErrorKind::BadFile, "cannot create the folder " + choice.path.toStdString() +
                                        ": choose a folder you can write to");
  // What is on display now: a trace finishing in the background during a long export does not mix in.
  const std::shared_ptr<const Trace> trace = m_session.trace();
  const std::shared_ptr<const LayerRecord> shown = m_session.record();
  const int shownLayer = m_session.layer();
  std::vector<std::string> labels;
  for (const QString& l : m_session.labels()) labels.push_back(l.toStdString());
  const std::string model_ = (modelName() + runTitle()).toStdString();
  // Difference: the state as edited minus base (what the heatmap shows); other quantities are the edited
  // run's.
  const std::shared_ptr<const WhatIf> whatIf = m_session.showsDifference() ? m_session.whatIf() : nullptr;
  const std::shared_ptr<const LayerRecord> shownBase = m_session.baseRecord();
  const int total = static_cast<int>(layers.size() * heads.size());
  QStringList written;
  for (int layer : layers) {
    if (progress && !progress(static_cast<int>(written.size()), total)) break;
    const std::shared_ptr<const LayerRecord> record =
        layer == shownLayer && shown ? shown : recordOf(trace, layer);
    for (int head : heads) {
      if (progress && !progress(static_cast<int>(written.size()), total)) break;
      HeatmapData data = extractHeatmap(*record, head, what, choice.begin, choice.end, labels,
                                        model_ + " · layer " + std::to_string(layer) + " · ");
      if (whatIf && what.name == "state" && !data.panels.empty()) {
        const auto base = layer == shownLayer && shownBase ? shownBase : recordOf(whatIf->base, layer);
        subtractBase(data, *base, *whatIf, head, choice.begin);
      }
      const QString path =
          choice.several()
              ? QDir(choice.path)
                    .filePath(QString::fromStdString(heatmapFileName(layer, head, what.name, choice.format)))
              : choice.path;
      writeHeatmap(data, choice.format, path.toStdString(), choice.size, choice.scale, choice.colours);
      written << path;
    }
  }
  if (written.size() < total) {
    throw Error(ErrorKind::Cancelled, "export cancelled after " + std::to_string(written.size()) + " of " +
                                          std::to_string(total) + " files (the files written are complete)");
  }
  return written;
}

QString ExportController::exportPlot(ThemedPlot& plot, const ExportChoice& choice) const {
  const std::string path = choice.path.toStdString();
  if (!isImageFormat(choice.format)) {
    writePlotTable(plot.exportTable(), choice.format, path);
  } else {
    const QSize size = choice.size.isEmpty() ? plot.size() : choice.size;
    writePlotImage(plot, choice.format, path, size, choice.scale,
                   (modelName() + runTitle() + QStringLiteral(" · ") + plot.exportName()).toStdString());
  }
  return choice.path;
}

QString ExportController::exportLens(const PredictionsView& view, const ExportChoice& choice) const {
  writePlotTable(view.lensData(), choice.format, choice.path.toStdString());
  return choice.path;
}

void ExportController::exportLensDialog(PredictionsView* view) {
  if (!view) return;
  ExportDialog dialog(tr("Export the logit lens"), modelName() + QStringLiteral("_logit_lens"), view->size(),
                      std::nullopt, m_window);
  dialog.setDataOnly();
  if (dialog.exec() != QDialog::Accepted) return;
  try {
    emit status(tr("Exported %1").arg(exportLens(*view, dialog.choice())));
  } catch (const Error& e) {
    emit errorOccurred(tr("Export"), QString::fromStdString(e.what()));
  }
}

void ExportController::exportHeatmapDialog() {
  if (!m_session.record()) {
    emit errorOccurred(tr("Export"),
                       tr("Nothing is traced yet: open a checkpoint and trace an input first."));
    return;
  }
  ExportDialog dialog(tr("Export the state heatmap"), heatmapStem(), m_heatmap.plot()->size(),
                      heatmapOptions(), m_window);
  if (dialog.exec() != QDialog::Accepted) return;
  const ExportChoice choice = dialog.choice();
  QProgressDialog progress(tr("Exporting heatmaps..."), tr("Cancel"), 0, 1, m_window);
  progress.setWindowModality(Qt::WindowModal);
  // Batches show it at once: it keeps the window's input away while layers are computed in the background.
  progress.setMinimumDuration(choice.several() ? 0 : 4000);
  try {
    const QStringList files = exportHeatmaps(choice, [&](int done, int total) {
      progress.setMaximum(total);
      progress.setValue(done);
      return !progress.wasCanceled();
    });
    progress.reset();
    emit status(files.size() == 1 ? tr("Exported %1").arg(files.front())
                                  : tr("Exported %1 files to %2").arg(files.size()).arg(choice.path));
  } catch (const Error& e) {
    progress.reset();
    if (e.kind() == ErrorKind::Cancelled)
      emit status(QString::fromStdString(e.what()));
    else
      emit errorOccurred(tr("Export"), QString::fromStdString(e.what()));
  }
}

void ExportController::exportPlotDialog(ThemedPlot* plot) {
  if (!plot) return;
  ExportDialog dialog(tr("Export %1").arg(plot->exportName()), plotStem(*plot), plot->size(), std::nullopt,
                      m_window);
  if (dialog.exec() != QDialog::Accepted) return;
  try {
    emit status(tr("Exported %1").arg(exportPlot(*plot, dialog.choice())));
  } catch (const Error& e) {
    emit errorOccurred(tr("Export"), QString::fromStdString(e.what()));
  }
}

}  // namespace maxstate::ui
