#pragma once
// What the user asks the explorer to do with files and input: open, reload and close checkpoints, trace the
// input, append to it, and compute what the views follow (a layer's record, the logit lens at the cursor).
// All work off the GUI thread goes through the one BackgroundWork this controller owns; results land in the
// Session; problems come out as `errorOccurred` (the window shows a dialog) while the session keeps what it
// had.
#include <QFileSystemWatcher>
#include <QObject>
#include <QString>
#include <QStringList>
#include <functional>
#include <memory>
#include <optional>

#include "ui/session/background_work.h"
#include "ui/session/model_handle.h"
#include "ui/session/session.h"

namespace maxstate::ui {

class ExplorerController : public QObject {
  Q_OBJECT
 public:
  // Asks the user for the number of heads of `path`; `why` says why. nullopt = the user declined.
  using AskHeads = std::function<std::optional<int64_t>(const QString& path, const QString& why)>;

  ExplorerController(Session& session, std::shared_ptr<const ModelLoader> loader, QObject* parent = nullptr);

  BackgroundWork& work() { return m_work; }

  void setAskHeads(AskHeads ask) { m_askHeads = std::move(ask); }

  // Opens a checkpoint (several may be open); it becomes the current one and is traced on the current input.
  // A path already open becomes current again.
  void open(const QString& path);
  // Opens every checkpoint file in `folder` (maxstate::checkpointFilesIn) one after the other, in training
  // order (each file's step and epoch read first, off the GUI thread); the last one becomes current and is
  // traced once they are all in.
  void openFolder(const QString& folder);
  // Re-reads a checkpoint from disk (after it changed), keeping it in its place.
  void reload(int index);
  void reloadChanged();
  void close(int index);
  // Makes another open checkpoint current and traces it on the same input.
  void selectCheckpoint(int index);

  // Traces the session's input through the current checkpoint.
  void traceInput(const SessionInput& input);
  // Traces the session's input again (after opening or switching checkpoints); an empty text is not an error.
  void retrace();
  // Extends the current trace step by step with text (or ids, following the input kind).
  void append(const QString& more);
  void cancel() { m_work.cancel(); }

  // Shows another layer. A layer the trace has not computed yet is computed off the GUI thread first; the
  // views switch when it is ready. Next/previous go from the layer asked for last.
  void selectLayer(int layer);
  int targetLayer() const { return m_pendingLayer >= 0 ? m_pendingLayer : m_session.layer(); }

 signals:
  void errorOccurred(const QString& title, const QString& message);
  void opened(const QString& path);  // for the recent-files list
  void status(const QString& message);
  // Some characters of an opened vocabulary cannot be drawn by any installed font: said once a session.
  void fontsMissing(const QString& message);

 private:
  // `makeCurrent`: the opened checkpoint becomes current and is traced (a folder's files are not, one by
  // one).
  void load(const QString& path, std::optional<int64_t> heads, bool headsFromUser, int replaceIndex,
            bool makeCurrent = true);
  bool onLoadError(const QString& path, const Error& error, int replaceIndex);
  void watch(const QString& path);
  void onFileChanged(const QString& path);
  void requestLens();
  void checkFonts(const ModelHandle& model);

  Session& m_session;
  std::shared_ptr<const ModelLoader> m_loader;
  AskHeads m_askHeads;
  QFileSystemWatcher m_watcher;
  BackgroundWork m_work;
  int m_pendingLayer = -1;
  QStringList m_fontsChecked;  // vocabulary files already looked at
  bool m_fontsWarned = false;
  std::weak_ptr<const Trace> m_lensAskedTrace;  // the newest lens request
  int64_t m_lensAskedPosition = -1;
};

}  // namespace maxstate::ui
