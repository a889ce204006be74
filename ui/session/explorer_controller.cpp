#include "ui/session/explorer_controller.h"

#include <QFileInfo>
#include <QTimer>
#include <algorithm>

#include "maxstate/checkpoint_series.h"
#include "ui/session/input_prep.h"
#include "ui/style/font_coverage.h"

namespace maxstate::ui {

namespace {

QString fileName(const QString& path) { return QFileInfo(path).fileName(); }

// Finds a model again after other jobs may have reordered the list.
int indexOfModel(const Session& session, const ModelHandle* model) {
  for (int i = 0; i < session.checkpointCount(); ++i)
    if (session.checkpoint(i).model.get() == model) return i;
  return -1;
}

}  // namespace

ExplorerController::ExplorerController(Session& session, std::shared_ptr<const ModelLoader> loader,
                                       QObject* parent)
    : QObject(parent), m_session(session), m_loader(std::move(loader)) {
  connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, &ExplorerController::onFileChanged);
  connect(&m_work, &BackgroundWork::failed, this, [this](const QString& what, const QString& message) {
    emit errorOccurred(what, message + tr("\n\nThe explorer keeps what it showed before."));
  });
  connect(&m_session, &Session::traceChanged, this, [this] {
    m_pendingLayer = -1;
    requestLens();
  });
  connect(&m_session, &Session::cursorChanged, this, &ExplorerController::requestLens);
  connect(&m_work, &BackgroundWork::cancelled, this, [this](const QString& what) {
    emit status(tr("%1: cancelled; the previous trace is kept.").arg(what));
  });
}

void ExplorerController::open(const QString& path) {
  const QString absolute = QFileInfo(path).absoluteFilePath();
  const int existing = m_session.indexOfPath(absolute);
  if (existing >= 0) {
    selectCheckpoint(existing);
    return;
  }
  load(absolute, std::nullopt, false, -1);
}

void ExplorerController::reload(int index) {
  if (index < 0 || index >= m_session.checkpointCount()) return;
  load(m_session.checkpoint(index).path, std::nullopt, false, index);
}

void ExplorerController::reloadChanged() {
  for (int i = 0; i < m_session.checkpointCount(); ++i)
    if (m_session.checkpoint(i).changedOnDisk) reload(i);
}

void ExplorerController::close(int index) {
  if (index < 0 || index >= m_session.checkpointCount()) return;
  const QString path = m_session.checkpoint(index).path;
  const bool wasCurrent = index == m_session.currentCheckpoint();
  m_session.removeCheckpoint(index);
  if (m_session.indexOfPath(path) < 0) m_watcher.removePath(path);
  if (wasCurrent && m_session.currentCheckpoint() >= 0) retrace();
}

void ExplorerController::selectCheckpoint(int index) {
  if (index < 0 || index >= m_session.checkpointCount()) return;
  const bool changed = index != m_session.currentCheckpoint();
  m_session.setCurrentCheckpoint(index);
  if (changed || m_session.tracedCheckpoint() != index) retrace();
}

void ExplorerController::openFolder(const QString& folder) {
  const QString absolute = QFileInfo(folder).absoluteFilePath();
  m_work.enqueue(
      tr("Reading the folder %1").arg(fileName(absolute)),
      [this, absolute](const Progress& progress) -> BackgroundWork::Commit {
        std::vector<SeriesEntry> entries;
        const std::vector<std::string> files = checkpointFilesIn(absolute.toStdString());
        for (size_t i = 0; i < files.size(); ++i) {
          if (progress.cancel && progress.cancel->load()) throw Error(ErrorKind::Cancelled, "cancelled");
          SeriesEntry e{files[i], {}};
          try {
            e.progress = readTrainingProgress(files[i]);
          } catch (const Error&) {
            e.progress.step = stepFromFileName(files[i]);  // opening it will say what is wrong
          }
          entries.push_back(std::move(e));
          if (progress.report)
            progress.report(static_cast<int64_t>(i + 1), static_cast<int64_t>(files.size()));
        }
        sortByTrainingProgress(entries);
        return [this, absolute, entries] {
          if (entries.empty()) {
            emit errorOccurred(tr("Open folder"),
                               tr("%1 holds no checkpoint file (.pt, .pth, .bin, .ckpt or .safetensors). "
                                  "Choose the folder your training script saves its checkpoints in.")
                                   .arg(absolute));
            return;
          }
          QStringList paths;
          for (const SeriesEntry& e : entries) {
            const QString path = QString::fromStdString(e.path);
            paths << path;
            if (m_session.indexOfPath(path) < 0) load(path, std::nullopt, false, -1, false);
          }
          // Once every file is in: the last one in training order is shown.
          m_work.enqueue(
              tr("Opening %1").arg(fileName(absolute)),
              [this, paths](const Progress&) -> BackgroundWork::Commit {
                return [this, paths] {
                  for (qsizetype i = paths.size() - 1; i >= 0; --i)
                    if (const int index = m_session.indexOfPath(paths[i]); index >= 0) {
                      selectCheckpoint(index);
                      emit status(
                          tr("%1 checkpoints of the folder are open, in training order.").arg(paths.size()));
                      return;
                    }
                };
              });
        };
      });
}

void ExplorerController::load(const QString& path, std::optional<int64_t> heads, bool headsFromUser,
                              int replaceIndex, bool makeCurrent) {
  auto loader = m_loader;
  const std::string file = path.toStdString();
  m_work.enqueue(
      tr("Opening %1").arg(fileName(path)),
      [this, loader, file, path, heads, headsFromUser, replaceIndex,
       makeCurrent](const Progress&) -> BackgroundWork::Commit {
        std::shared_ptr<const ModelHandle> model = loader->open(file, heads);
        TrainingProgress training;
        try {
          training = readTrainingProgress(file);
        } catch (const Error&) {
          training.step = stepFromFileName(file);  // the model was read: only the step is unknown
        }
        return [this, loader, model, file, path, heads, headsFromUser, replaceIndex, makeCurrent, training] {
          if (headsFromUser && heads) loader->rememberHeads(file, *heads);
          OpenCheckpoint c;
          c.path = path;
          c.model = model;
          c.fileTime = QFileInfo(path).lastModified();
          c.progress = training;
          int index = replaceIndex >= 0 ? m_session.indexOfPath(path) : -1;
          if (index >= 0) {
            m_session.replaceCheckpoint(index, std::move(c));
          } else {
            index = m_session.addCheckpoint(std::move(c));
          }
          watch(path);
          emit opened(path);
          checkFonts(*model);
          const bool current = index == m_session.currentCheckpoint();
          if ((replaceIndex < 0 && makeCurrent) || current) {
            m_session.setCurrentCheckpoint(index);
            retrace();
          }
        };
      },
      [this, path, replaceIndex](const Error& e) { return onLoadError(path, e, replaceIndex); });
}

bool ExplorerController::onLoadError(const QString& path, const Error& error, int replaceIndex) {
  // Usage from the loader is about the heads: they cannot be read off the file, or the number given (by the
  // user or a side file) does not fit. Either way: ask (again), saying why.
  if (error.kind() != ErrorKind::Usage || !m_askHeads) return false;
  const std::optional<int64_t> heads = m_askHeads(path, QString::fromStdString(error.what()));
  if (!heads) {
    emit status(tr("%1 was not opened: it needs the number of heads.").arg(fileName(path)));
    return true;
  }
  load(path, heads, true, replaceIndex);
  return true;
}

void ExplorerController::retrace() {
  const ModelHandle* model = m_session.currentModel();
  // Opening a model before any text was typed is not an error: there is simply nothing to trace yet.
  if (model && model->info().kind == ModelKind::Model && m_session.input().text.trimmed().isEmpty()) {
    emit status(tr("Type some text (or ids) in the Input panel and press Trace."));
    return;
  }
  traceInput(m_session.input());
}

void ExplorerController::traceInput(const SessionInput& input) {
  m_session.setInput(input);
  const int index = m_session.currentCheckpoint();
  if (index < 0) return;
  const std::shared_ptr<const ModelHandle> model = m_session.checkpoint(index).model;
  const QString name = fileName(m_session.checkpoint(index).path);
  const int layerToShow = m_session.layer();
  m_work.enqueue(tr("Tracing %1").arg(name),
                 [this, model, input, layerToShow](const Progress& progress) -> BackgroundWork::Commit {
                   PreparedInput prepared = prepareInput(*model, input);
                   std::shared_ptr<const Trace> trace = model->info().kind == ModelKind::Layer
                                                            ? model->traceInput(prepared.x, progress)
                                                            : model->trace(prepared.ids, progress);
                   // The record the views show first is computed here, off the GUI thread.
                   const int layer = std::clamp(layerToShow, 0, trace->layerCount() - 1);
                   auto record = trace->layer(layer);
                   return [this, model, trace, layer, record, labels = std::move(prepared.labels)] {
                     const int i = indexOfModel(m_session, model.get());
                     if (i < 0) return;  // closed meanwhile: nothing to show
                     m_session.setTrace(trace, labels, i, layer, record);
                   };
                 });
}

void ExplorerController::append(const QString& more) {
  const auto trace = m_session.trace();
  const int index = m_session.tracedCheckpoint();
  if (!trace || index < 0) {
    emit errorOccurred(tr("Append"),
                       tr("There is no trace to extend: open a checkpoint and trace an input first."));
    return;
  }
  const std::shared_ptr<const ModelHandle> model = m_session.checkpoint(index).model;
  if (model->info().kind != ModelKind::Model) {
    emit errorOccurred(tr("Append"),
                       tr("A bare layer has no tokens to append: appending works on whole models."));
    return;
  }
  SessionInput extra = m_session.input();
  extra.text = more;
  if (extra.kind == InputKind::Chat) extra.kind = InputKind::Text;  // more words, in the chat's tokeniser
  const QStringList oldLabels = m_session.labels();
  const int layerToShow = m_session.layer();
  m_work.enqueue(tr("Appending to %1").arg(fileName(m_session.checkpoint(index).path)),
                 [this, model, trace, extra, oldLabels,
                  layerToShow](const Progress& progress) -> BackgroundWork::Commit {
                   PreparedInput prepared = prepareInput(*model, extra);
                   std::shared_ptr<const Trace> longer = model->append(*trace, prepared.ids, progress);
                   const int layer = std::clamp(layerToShow, 0, longer->layerCount() - 1);
                   auto record = longer->layer(layer);
                   return [this, model, longer, extra, layer, record, labels = oldLabels + prepared.labels] {
                     const int i = indexOfModel(m_session, model.get());
                     if (i < 0) return;
                     SessionInput input = m_session.input();
                     // A chat's JSON cannot take more text: its trace is extended, the chat stays as it was.
                     if (input.kind != InputKind::Chat) {
                       input.text +=
                           (input.kind == InputKind::Ids ? QStringLiteral(", ") : QString()) + extra.text;
                       m_session.setInput(input);
                     }
                     m_session.setTrace(longer, labels, i, layer, record);
                   };
                 });
}

void ExplorerController::selectLayer(int layer) {
  const auto trace = m_session.trace();
  if (!trace) return;
  layer = std::clamp(layer, 0, trace->layerCount() - 1);
  // While a what-if is on, both runs' records follow the layer (the difference needs the two).
  const std::shared_ptr<const WhatIf> whatIf = m_session.whatIf();
  const std::shared_ptr<const Trace> base = m_session.baseTrace();
  const std::vector<int> cached = trace->cachedLayers();
  if (!whatIf && std::find(cached.begin(), cached.end(), layer) != cached.end()) {
    m_pendingLayer = -1;
    m_session.setLayer(layer, trace->layer(layer));  // cached: no computation on the GUI thread
    return;
  }
  if (layer == m_pendingLayer) return;
  m_pendingLayer = layer;
  emit status(tr("Computing layer %1...").arg(layer));
  m_work.latest(BackgroundWork::Lane::Layer, [this, trace, whatIf, base, layer]() -> BackgroundWork::Commit {
    std::shared_ptr<const LayerRecord> record, editedRecord, baseRecord;
    QString error;
    try {
      record = trace->layer(layer);
      if (whatIf) {
        editedRecord = whatIf->edited->layer(layer);
        baseRecord = base->layer(layer);
      }
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    }
    return [this, trace, whatIf, layer, record, editedRecord, baseRecord, error] {
      if (trace != m_session.trace() || whatIf != m_session.whatIf() || layer != m_pendingLayer)
        return;  // superseded
      m_pendingLayer = -1;
      if (!error.isEmpty()) {
        emit errorOccurred(tr("Layer %1").arg(layer), error);
        return;
      }
      if (whatIf)
        m_session.setLayerRecords(layer, editedRecord, baseRecord);
      else
        m_session.setLayer(layer, record);
      emit status(tr("Layer %1").arg(layer));
    };
  });
}

void ExplorerController::requestLens() {
  const std::shared_ptr<const Trace> trace = m_session.trace();
  const int64_t position = m_session.cursor();
  if (!trace || trace->info().kind != ModelKind::Model || m_session.lens(position)) return;
  // A new trace announces itself and its cursor: ask once.
  if (m_lensAskedTrace.lock() == trace && position == m_lensAskedPosition) return;
  m_lensAskedTrace = trace;
  m_lensAskedPosition = position;
  m_work.latest(BackgroundWork::Lane::Lens, [this, trace, position]() -> BackgroundWork::Commit {
    LensRows rows;
    try {
      rows = trace->logitLens(position);
    } catch (const std::exception&) {
      // A trace without the lens: the view shows it as unavailable (empty rows).
    }
    // Kept even when the cursor moved on meanwhile: scrubbing back finds it.
    return [this, trace, position, rows = std::move(rows)]() mutable {
      m_session.setLens(trace.get(), position, std::move(rows));
    };
  });
}

void ExplorerController::checkFonts(const ModelHandle& model) {
  const QString source = QString::fromStdString(model.vocabularySource());
  if (m_fontsWarned || source.isEmpty() || m_fontsChecked.contains(source)) return;
  m_fontsChecked << source;
  QStringList texts;
  for (const std::string& t : model.vocabularyTexts()) texts << QString::fromStdString(t);
  const QString message = fontCoverageMessage(fontCoverage(texts));
  if (message.isEmpty()) return;
  m_fontsWarned = true;
  emit fontsMissing(message);
}

void ExplorerController::watch(const QString& path) {
  if (!m_watcher.files().contains(path)) m_watcher.addPath(path);
}

void ExplorerController::onFileChanged(const QString& path) {
  // Training scripts replace checkpoints by renaming over them, which drops the watch: watch the new file
  // once it is there.
  if (!QFileInfo::exists(path)) {
    QTimer::singleShot(500, this, [this, path] {
      if (QFileInfo::exists(path) && m_session.indexOfPath(path) >= 0) {
        watch(path);
        onFileChanged(path);
      }
    });
    return;
  }
  watch(path);
  const int index = m_session.indexOfPath(path);
  if (index < 0) return;
  if (QFileInfo(path).lastModified() == m_session.checkpoint(index).fileTime) return;
  m_session.markChangedOnDisk(index, true);
  emit status(tr("%1 changed on disk: File > Reload changed checkpoints (Ctrl+R) to read it again.")
                  .arg(fileName(path)));
}

}  // namespace maxstate::ui
