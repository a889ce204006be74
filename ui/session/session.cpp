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
}

void Session::clearTrace() {
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
  m_trace = std::move(trace);
  m_labels = std::move(labels);
  m_tracedCheckpoint = checkpointIndex;
  const int64_t n = length();
  while (m_labels.size() < n) m_labels.push_back(QString::number(m_labels.size()));
  m_cursor = n == 0 ? 0 : (atEnd ? n - 1 : std::clamp<int64_t>(m_cursor, 0, n - 1));
  m_layer = std::clamp(layer, 0, std::max(0, layerCount() - 1));
  m_head = std::clamp(m_head, 0, std::max(0, headCount() - 1));
  m_record = m_trace && m_layer == layer ? std::move(record) : nullptr;
  m_lens.clear();
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

}  // namespace maxstate::ui
