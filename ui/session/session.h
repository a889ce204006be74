#pragma once
// What the explorer has loaded and what the user looks at: the open checkpoints, the input, the current
// trace, ONE position cursor and ONE layer/head selection. Pure state with signals; no threads, no widgets,
// no maths.
#include <QDateTime>
#include <QObject>
#include <QString>
#include <QStringList>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "ui/session/model_handle.h"

namespace maxstate::ui {

struct OpenCheckpoint {
  QString path;
  std::shared_ptr<const ModelHandle> model;
  QDateTime fileTime;          // modification time when it was read
  bool changedOnDisk = false;  // the file changed since it was read
};

using LensRows = std::vector<std::vector<Prediction>>;  // [layer][k]

// What the user asked to trace. Models read `text` as `kind` says (the core's input kinds: text, a chat as
// JSON, ids; text with `tokenizer`, or the vocabulary's default tokeniser when unset); bare layers have no
// tokens and are traced on a seeded random input of `randomLength` positions.
struct SessionInput {
  InputKind kind = InputKind::Text;
  std::optional<Tokenizer> tokenizer;
  QString text;
  int64_t randomLength = 64;
};

class Session : public QObject {
  Q_OBJECT
 public:
  explicit Session(QObject* parent = nullptr);

  // Checkpoints.
  int checkpointCount() const { return static_cast<int>(m_checkpoints.size()); }
  const OpenCheckpoint& checkpoint(int index) const { return m_checkpoints.at(static_cast<size_t>(index)); }
  int indexOfPath(const QString& path) const;  // -1 if not open
  int currentCheckpoint() const { return m_current; }
  const ModelHandle* currentModel() const;
  int addCheckpoint(OpenCheckpoint checkpoint);  // returns its index; does not change the current one
  void replaceCheckpoint(int index, OpenCheckpoint checkpoint);
  void removeCheckpoint(int index);
  void setCurrentCheckpoint(int index);
  void markChangedOnDisk(int index, bool changed);

  // Input.
  const SessionInput& input() const { return m_input; }
  void setInput(SessionInput input);

  // The trace on display and what it was made from. `labels` has one entry per position.
  const std::shared_ptr<const Trace>& trace() const { return m_trace; }
  const QStringList& labels() const { return m_labels; }
  int tracedCheckpoint() const { return m_tracedCheckpoint; }
  // `record` is the trace's record of `layer` (computed off the GUI thread by whoever made the trace): the
  // session never computes anything itself.
  void setTrace(std::shared_ptr<const Trace> trace, QStringList labels, int checkpointIndex, int layer,
                std::shared_ptr<const LayerRecord> record);
  // The views go back to their placeholders (done when the last checkpoint closes).
  void clearTrace();
  int64_t length() const { return m_trace ? m_trace->length() : 0; }
  QString label(int64_t position) const;

  // The cursor (clamped to the trace) and the selection (clamped to the model).
  int64_t cursor() const { return m_cursor; }
  void setCursor(int64_t position);
  void moveCursor(int64_t delta) { setCursor(m_cursor + delta); }
  int layer() const { return m_layer; }
  int head() const { return m_head; }
  int layerCount() const { return m_trace ? m_trace->layerCount() : 0; }
  int headCount() const;
  // `record` is the trace's record of `layer`; ignored when `layer` is outside the trace.
  void setLayer(int layer, std::shared_ptr<const LayerRecord> record);
  void setHead(int head);
  // The selected layer's full record.
  const std::shared_ptr<const LayerRecord>& record() const { return m_record; }

  // The logit lens of the trace on display at recent positions (computed off the GUI thread; empty rows when
  // the trace has none). nullopt while not computed yet.
  std::optional<LensRows> lens(int64_t position) const;
  void setLens(const Trace* trace, int64_t position, LensRows rows);  // ignored for another trace

 signals:
  void checkpointsChanged();
  void currentCheckpointChanged(int index);
  void inputChanged();
  void traceChanged();
  void layerChanged(int layer);  // the record changed too
  void headChanged(int head);
  void cursorChanged(qint64 position);
  void lensReady(qint64 position);

 private:
  struct LensEntry {
    int64_t position;
    LensRows rows;
  };

  std::vector<OpenCheckpoint> m_checkpoints;
  int m_current = -1;
  SessionInput m_input;
  std::shared_ptr<const Trace> m_trace;
  QStringList m_labels;
  int m_tracedCheckpoint = -1;
  std::shared_ptr<const LayerRecord> m_record;
  int64_t m_cursor = 0;
  int m_layer = 0;
  int m_head = 0;
  std::deque<LensEntry> m_lens;  // most recent last, positions of m_trace only
};

}  // namespace maxstate::ui
