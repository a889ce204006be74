#pragma once
// The most recently used full layer records of one trace, bounded in bytes (core-internal). Thread-safe.
#include <list>
#include <memory>
#include <mutex>
#include <vector>

#include "maxstate/layer.h"

namespace maxstate::detail {

int64_t recordBytes(const LayerRecord& r);

class RecordCache {
 public:
  explicit RecordCache(int64_t budgetBytes) : m_budget(budgetBytes) {}

  // The cached record of `layer` (now the most recently used), or null.
  std::shared_ptr<const LayerRecord> find(int layer);
  // Before computing a record of `bytes`: drops least recently used records until it fits beside the rest, so
  // that the cache and the record being computed stay within the budget together.
  void makeRoom(int64_t bytes);
  // Adds a record and drops the least recently used ones until the rest fits the budget; the newest always
  // stays.
  void insert(int layer, std::shared_ptr<const LayerRecord> record);
  std::vector<int> layers() const;  // least recently used first

 private:
  struct Entry {
    int layer;
    std::shared_ptr<const LayerRecord> record;
    int64_t bytes;
  };
  mutable std::mutex m_mutex;
  std::list<Entry> m_entries;  // least recently used first
  int64_t m_budget;
  int64_t m_bytes = 0;
};

}  // namespace maxstate::detail
