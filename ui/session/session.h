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

#include "maxstate/checkpoint_series.h"
#include "maxstate/compare.h"
#include "maxstate/whatif.h"
#include "ui/session/model_handle.h"

namespace maxstate::ui {

struct OpenCheckpoint {
  QString path;
  std::shared_ptr<const ModelHandle> model;
  QDateTime fileTime;          // modification time when it was read
  bool changedOnDisk = false;  // the file changed since it was read
  TrainingProgress progress;   // where it lies in training (step, epoch), when known
};

// Two checkpoints compared on the traced input (SPEC section 7): shown like a what-if whose base run is A's
// and whose edited run is B's, one position for one position.
struct SessionComparison {
  QString pathA, pathB;
  std::vector<ParameterChange> parameters;  // sorted by relative change, largest first (no change last)
  std::vector<LayerComparison> layers;
  double top1Agree = 0;
  bool hasPredictions = false;  // models (bare layers have no next-token distributions)
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

// What if? (SPEC section 5): one edit of the list, switched on or off.
struct SessionEdit {
  Edit edit;
  bool enabled = true;
  bool operator==(const SessionEdit& o) const {
    return enabled == o.enabled && editSpec(edit) == editSpec(o.edit);
  }
};
// What the views show while edits are on: the edited run, the base run, or the edited minus the base.
enum class WhatIfDisplay { Edited, Base, Difference };

class Session : public QObject {
  Q_OBJECT
 public:
  explicit Session(QObject* parent = nullptr);

  // What if? The base is the trace of the input (setTrace); the enabled edits apply to it in order and their
  // run is shown as display() says. trace(), labels() and record() are what is on display; a new base drops
  // the edits.
  const std::shared_ptr<const Trace>& baseTrace() const { return m_baseTrace; }
  const QStringList& baseLabels() const { return m_baseLabels; }
  const std::vector<SessionEdit>& edits() const { return m_edits; }
  // The run of the enabled edits; null while none is on.
  const std::shared_ptr<const WhatIf>& whatIf() const { return m_whatIf; }
  // The base trace's record of layer() (its counterpart for the difference).
  const std::shared_ptr<const LayerRecord>& baseRecord() const { return m_baseRecord; }
  // The edited run's record of layer(); null without a what-if.
  const std::shared_ptr<const LayerRecord>& editedRecord() const { return m_editedRecord; }
  WhatIfDisplay display() const { return m_display; }
  void setDisplay(WhatIfDisplay display);
  // True when the views show the difference (a what-if is on and Difference chosen).
  bool showsDifference() const { return m_whatIf && m_display == WhatIfDisplay::Difference; }
  // The edits and their run (null when no edit is on), with both runs' records of `layer` (computed off the
  // GUI thread by the caller); `labels` has one entry per edited position.
  void setWhatIf(std::vector<SessionEdit> edits, std::shared_ptr<const WhatIf> result, QStringList labels,
                 int layer, std::shared_ptr<const LayerRecord> editedRecord,
                 std::shared_ptr<const LayerRecord> baseRecord);
  // Another layer while a what-if is on: both runs' records.
  void setLayerRecords(int layer, std::shared_ptr<const LayerRecord> editedRecord,
                       std::shared_ptr<const LayerRecord> baseRecord);

  // Comparing two checkpoints: A is the base run, B the edited run (whatIf() holds the two runs with kl and
  // top-1 of the comparison), so that every view shows A, B or B minus A as display() says.
  const std::shared_ptr<const SessionComparison>& comparison() const { return m_comparison; }
  bool comparing() const { return m_comparison != nullptr; }
  // `runs`: base = A's trace, edited = B's, baseOf the identity; `recordA`/`recordB` of `layer`.
  void setComparison(std::shared_ptr<const SessionComparison> comparison, std::shared_ptr<const WhatIf> runs,
                     QStringList labels, int checkpointA, int layer,
                     std::shared_ptr<const LayerRecord> recordA, std::shared_ptr<const LayerRecord> recordB);
  // Back to normal: A's trace on its own.
  void stopComparison();
  // What the two runs are called in titles: "A"/"B" while comparing, "base"/"edited" for a what-if.
  QString runName(bool edited) const;

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
  void editsChanged();       // the list of edits (and their run) changed
  void baseChanged();        // a new trace of the input: edits and their undo history start over
  void displayChanged();     // Edited / Base / Difference
  void comparisonChanged();  // a comparison started or stopped

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
  std::deque<LensEntry> m_lens;
  void showDisplayed();  // trace, labels and record from the display choice
  void applyRuns(std::vector<SessionEdit> edits, std::shared_ptr<const WhatIf> result, QStringList labels,
                 int layer, std::shared_ptr<const LayerRecord> editedRecord,
                 std::shared_ptr<const LayerRecord> baseRecord);

  std::shared_ptr<const Trace> m_baseTrace;
  QStringList m_baseLabels, m_editedLabels;
  std::shared_ptr<const LayerRecord> m_baseRecord, m_editedRecord;
  std::vector<SessionEdit> m_edits;
  std::shared_ptr<const WhatIf> m_whatIf;
  std::shared_ptr<const SessionComparison> m_comparison;
  WhatIfDisplay m_display = WhatIfDisplay::Edited;  // most recent last, positions of m_trace only
};

}  // namespace maxstate::ui
