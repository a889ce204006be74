#include "trace/record_cache.h"

namespace maxstate::detail {

int64_t recordBytes(const LayerRecord& r) {
  return (r.state.size() + r.terms.size() + r.output.size()) * int64_t{sizeof(float)} +
         r.source.size() * int64_t{sizeof(int64_t)};
}

std::shared_ptr<const LayerRecord> RecordCache::find(int layer) {
  std::lock_guard lock(m_mutex);
  for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
    if (it->layer != layer) continue;
    m_entries.splice(m_entries.end(), m_entries, it);
    return m_entries.back().record;
  }
  return nullptr;
}

void RecordCache::makeRoom(int64_t bytes) {
  std::lock_guard lock(m_mutex);
  while (!m_entries.empty() && m_bytes + bytes > m_budget) {
    m_bytes -= m_entries.front().bytes;
    m_entries.pop_front();
  }
}

void RecordCache::insert(int layer, std::shared_ptr<const LayerRecord> record) {
  std::lock_guard lock(m_mutex);
  for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
    if (it->layer == layer) {
      m_bytes -= it->bytes;
      m_entries.erase(it);
      break;
    }
  }
  const int64_t bytes = recordBytes(*record);
  m_entries.push_back({layer, std::move(record), bytes});
  m_bytes += bytes;
  while (m_entries.size() > 1 && m_bytes > m_budget) {
    m_bytes -= m_entries.front().bytes;
    m_entries.pop_front();
  }
}

std::vector<int> RecordCache::layers() const {
  std::lock_guard lock(m_mutex);
  std::vector<int> out;
  for (const auto& e : m_entries) out.push_back(e.layer);
  return out;
}

}  // namespace maxstate::detail
