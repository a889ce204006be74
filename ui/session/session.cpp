#include "ui/session/session.h"

#include <algorithm>

namespace maxstate::ui {

Session::Session(QObject* parent) : QObject(parent) {}

int Session::indexOfPath(const QString& path) const {
  for (size_t i = 0; i < m_checkpoints.size(); ++i)
    if (m_checkpoints[i].path == path) return static_cast<int>(i);
  return -1;
}

const ModelHandle* Session::currentModel() const {
  return m_current >= 0 ? m_checkpoints[static_cast<size_t>(m_current)].model.get() : nullptr;
}

int Session::addCheckpoint(OpenCheckpoint checkpoint) {
  m_checkpoints.push_back(std::move(checkpoint));
  emit checkpointsChanged();
  return checkpointCount() - 1;
}

void Session::replaceCheckpoint(int index, OpenCheckpoint checkpoint) {
  m_checkpoints.at(static_cast<size_t>(index)) = std::move(checkpoint);
  emit checkpointsChanged();
}

void Session::removeCheckpoint(int index) {
  if (index < 0 || index >= checkpointCount()) return;
  m_checkpoints.erase(m_checkpoints.begin() + index);
  // The trace stays on display until another one replaces it; only its index moves.
  if (m_tracedCheckpoint == index)
    m_tracedCheckpoint = -1;
  else if (m_tracedCheckpoint > index)
    --m_tracedCheckpoint;
  const int oldCurrent = m_current;
  if (m_current > index || m_current >= checkpointCount()) --m_current;
  if (m_current < 0 && checkpointCount() > 0) m_current = 0;
  emit checkpointsChanged();
  if (m_current != oldCurrent || oldCurrent == index) emit currentCheckpointChanged(m_current);
  if (checkpointCount() == 0 && m_trace) clearTrace();  // nothing left that it belongs to
  // A comparison of a checkpoint that is gone ends (A's trace stays, as any trace does).
  if (m_comparison && (indexOfPath(m_comparison->pathA) < 0 || indexOfPath(m_comparison->pathB) < 0))
    stopComparison();
}

void Session::clearTrace() {
  const bool hadEdits = !m_edits.empty();
  const bool wasComparing = m_comparison != nullptr;
  m_comparison.reset();
  m_baseTrace.reset();
  m_baseLabels.clear();
  m_baseRecord.reset();
  m_edits.clear();
  m_whatIf.reset();
  m_editedRecord.reset();
  m_editedLabels.clear();
  emit baseChanged();
  if (hadEdits || wasComparing) emit editsChanged();
  if (wasComparing) emit comparisonChanged();
  m_trace.reset();
  m_labels.clear();
  m_record.reset();
  m_lens.clear();
  m_tracedCheckpoint = -1;
  m_cursor = 0;
  emit traceChanged();
  emit cursorChanged(m_cursor);
}

void Session::setCurrentCheckpoint(int index) {
  if (index < 0 || index >= checkpointCount() || index == m_current) return;
  m_current = index;
  emit currentCheckpointChanged(index);
}

void Session::markChangedOnDisk(int index, bool changed) {
  if (index < 0 || index >= checkpointCount()) return;
  auto& c = m_checkpoints[static_cast<size_t>(index)];
  if (c.changedOnDisk == changed) return;
  c.changedOnDisk = changed;
  emit checkpointsChanged();
}

void Session::setInput(SessionInput input) {
  m_input = std::move(input);
  emit inputChanged();
}

void Session::setTrace(std::shared_ptr<const Trace> trace, QStringList labels, int checkpointIndex, int layer,
                       std::shared_ptr<const LayerRecord> record) {
  // A cursor at the end follows an extended trace; anywhere else it stays where the user put it.
  const bool atEnd = m_trace && m_cursor == m_trace->length() - 1;
  // A new base: the edits were made on the old one.
  const bool hadEdits = !m_edits.empty();
  const bool wasComparing = m_comparison != nullptr;
  m_comparison.reset();  // a new base: the comparison was of the old one
  m_edits.clear();
  m_whatIf.reset();
  m_editedRecord.reset();
  m_editedLabels.clear();
  m_trace = std::move(trace);
  m_labels = std::move(labels);
  m_tracedCheckpoint = checkpointIndex;
  const int64_t n = length();
  while (m_labels.size() < n) m_labels.push_back(QString::number(m_labels.size()));
  m_cursor = n == 0 ? 0 : (atEnd ? n - 1 : std::clamp<int64_t>(m_cursor, 0, n - 1));
  m_layer = std::clamp(layer, 0, std::max(0, layerCount() - 1));
  m_head = std::clamp(m_head, 0, std::max(0, headCount() - 1));
  m_record = m_trace && m_layer == layer ? std::move(record) : nullptr;
  m_baseTrace = m_trace;
  m_baseLabels = m_labels;
  m_baseRecord = m_record;
  m_lens.clear();
  emit baseChanged();
  if (hadEdits || wasComparing) emit editsChanged();
  if (wasComparing) emit comparisonChanged();
  emit traceChanged();
  emit cursorChanged(m_cursor);
}

QString Session::label(int64_t position) const {
  if (position < 0 || position >= m_labels.size()) return {};
  return m_labels[static_cast<qsizetype>(position)];
}

int Session::headCount() const { return m_trace ? static_cast<int>(m_trace->info().heads) : 0; }

void Session::setCursor(int64_t position) {
  const int64_t n = length();
  const int64_t p = n == 0 ? 0 : std::clamp<int64_t>(position, 0, n - 1);
  if (p == m_cursor) return;
  m_cursor = p;
  emit cursorChanged(p);
}

void Session::setLayer(int layer, std::shared_ptr<const LayerRecord> record) {
  if (!m_trace || layer < 0 || layer >= layerCount() || !record) return;
  if (layer == m_layer && record == m_record) return;
  m_layer = layer;
  m_record = std::move(record);
  if (m_trace == m_baseTrace) m_baseRecord = m_record;
  if (m_whatIf && m_trace == m_whatIf->edited) m_editedRecord = m_record;
  emit layerChanged(layer);
}

void Session::setHead(int head) {
  const int h = std::clamp(head, 0, std::max(0, headCount() - 1));
  if (h == m_head) return;
  m_head = h;
  emit headChanged(h);
}

std::optional<LensRows> Session::lens(int64_t position) const {
  for (const LensEntry& e : m_lens)
    if (e.position == position) return e.rows;
  return std::nullopt;
}

void Session::setLens(const Trace* trace, int64_t position, LensRows rows) {
  if (trace != m_trace.get() || !trace) return;
  // Enough recent positions to scrub back and forth without recomputing; a few MB at most.
  constexpr size_t kKeptPositions = 512;
  m_lens.push_back({position, std::move(rows)});
  if (m_lens.size() > kKeptPositions) m_lens.pop_front();
  emit lensReady(position);
}

namespace {

// Where a base position is in the edited run: the first edited position at or after it.
int64_t editedPosition(const WhatIf& w, int64_t base) {
  for (size_t t = 0; t < w.baseOf.size(); ++t)
    if (w.baseOf[t] && *w.baseOf[t] >= base) return static_cast<int64_t>(t);
  return static_cast<int64_t>(w.baseOf.size()) - 1;
}

// Where an edited position came from: its base position, or the one before it (inserted positions).
int64_t basePosition(const WhatIf& w, int64_t edited) {
  for (int64_t t = std::min<int64_t>(edited, static_cast<int64_t>(w.baseOf.size()) - 1); t >= 0; --t)
    if (w.baseOf[static_cast<size_t>(t)]) return *w.baseOf[static_cast<size_t>(t)];
  return 0;
}

}  // namespace

void Session::showDisplayed() {
  const bool edited = m_whatIf && m_display != WhatIfDisplay::Base;
  m_trace = edited ? m_whatIf->edited : m_baseTrace;
  m_labels = edited ? m_editedLabels : m_baseLabels;
  m_record = edited ? m_editedRecord : m_baseRecord;
}

void Session::setDisplay(WhatIfDisplay display) {
  if (display == m_display) return;
  const auto oldTrace = m_trace;
  m_display = display;
  showDisplayed();
  emit displayChanged();
  if (!m_whatIf) return;
  if (m_trace != oldTrace) {
    // The cursor stays on the same token where it has a counterpart.
    m_cursor =
        m_trace == m_baseTrace ? basePosition(*m_whatIf, m_cursor) : editedPosition(*m_whatIf, m_cursor);
    m_cursor = std::clamp<int64_t>(m_cursor, 0, std::max<int64_t>(0, length() - 1));
    m_lens.clear();
  }
  emit traceChanged();
  emit cursorChanged(m_cursor);
}

void Session::setWhatIf(std::vector<SessionEdit> edits, std::shared_ptr<const WhatIf> result,
                        QStringList labels, int layer, std::shared_ptr<const LayerRecord> editedRecord,
                        std::shared_ptr<const LayerRecord> baseRecord) {
  if (!m_baseTrace) return;
  // Edits are made on A's run alone: the comparison ends.
  const bool wasComparing = m_comparison != nullptr;
  m_comparison.reset();
  applyRuns(std::move(edits), std::move(result), std::move(labels), layer, std::move(editedRecord),
            std::move(baseRecord));
  if (wasComparing) emit comparisonChanged();
}

void Session::applyRuns(std::vector<SessionEdit> edits, std::shared_ptr<const WhatIf> result,
                        QStringList labels, int layer, std::shared_ptr<const LayerRecord> editedRecord,
                        std::shared_ptr<const LayerRecord> baseRecord) {
  const auto oldTrace = m_trace;
  m_edits = std::move(edits);
  m_whatIf = std::move(result);
  m_editedLabels = m_whatIf ? std::move(labels) : QStringList();
  if (m_whatIf)
    while (m_editedLabels.size() < m_whatIf->edited->length())
      m_editedLabels.push_back(QString::number(m_editedLabels.size()));
  m_editedRecord = m_whatIf ? std::move(editedRecord) : nullptr;
  if (baseRecord && layer >= 0 && layer < m_baseTrace->layerCount()) {
    m_layer = layer;
    m_baseRecord = std::move(baseRecord);
  }
  showDisplayed();
  m_cursor = std::clamp<int64_t>(m_cursor, 0, std::max<int64_t>(0, length() - 1));
  if (m_trace != oldTrace) m_lens.clear();
  emit editsChanged();
  emit traceChanged();
  emit cursorChanged(m_cursor);
}

void Session::setLayerRecords(int layer, std::shared_ptr<const LayerRecord> editedRecord,
                              std::shared_ptr<const LayerRecord> baseRecord) {
  if (!m_trace || layer < 0 || layer >= layerCount() || !baseRecord) return;
  m_layer = layer;
  m_editedRecord = m_whatIf ? std::move(editedRecord) : nullptr;
  m_baseRecord = std::move(baseRecord);
  showDisplayed();
  emit layerChanged(layer);
}

void Session::setComparison(std::shared_ptr<const SessionComparison> comparison,
                            std::shared_ptr<const WhatIf> runs, QStringList labels, int checkpointA,
                            int layer, std::shared_ptr<const LayerRecord> recordA,
                            std::shared_ptr<const LayerRecord> recordB) {
  if (!comparison || !runs) return;
  setTrace(runs->base, labels, checkpointA, layer,
           recordA);  // A is the base: drops edits and old comparisons
  m_comparison = std::move(comparison);
  // The difference first: it is what a comparison is for.
  if (m_display != WhatIfDisplay::Difference) {
    m_display = WhatIfDisplay::Difference;
    emit displayChanged();
  }
  applyRuns({}, std::move(runs), std::move(labels), layer, std::move(recordB), std::move(recordA));
  emit comparisonChanged();
}

void Session::stopComparison() {
  if (!m_comparison) return;
  m_comparison.reset();
  m_whatIf.reset();
  m_editedRecord.reset();
  m_editedLabels.clear();
  showDisplayed();  // A's run on its own
  m_cursor = std::clamp<int64_t>(m_cursor, 0, std::max<int64_t>(0, length() - 1));
  m_lens.clear();
  emit comparisonChanged();
  emit editsChanged();
  emit traceChanged();
  emit cursorChanged(m_cursor);
}

QString Session::runName(bool edited) const {
  if (m_comparison) return edited ? tr("B") : tr("A");
  return edited ? tr("edited") : tr("base");
}

}  // namespace maxstate::ui
