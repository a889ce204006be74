#pragma once
// The logit lens at one position costs a product with the whole head per layer (12 x 23005 x 768 for the
// published model): too slow for every cursor step on the GUI thread. This computes it on a worker thread;
// while the cursor moves only the newest request is computed, and recent positions are kept.
#include <QObject>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "maxstate/trace.h"

namespace maxstate::ui {

using LensRows = std::vector<std::vector<Prediction>>;  // [layer][k]

class LensFetcher : public QObject {
  Q_OBJECT
 public:
  explicit LensFetcher(QObject* parent = nullptr);
  ~LensFetcher() override;

  // Returns the lens at once when it is cached; otherwise asks the worker and returns nullopt (`ready`
  // follows).
  std::optional<LensRows> request(const std::shared_ptr<const Trace>& trace, int64_t position);

 signals:
  void ready(const void* trace, qint64 position);  // the lens for (trace, position) is now cached

 private:
  struct Entry {
    const Trace* trace;
    int64_t position;
    LensRows rows;
  };
  void run();
  std::optional<LensRows> cached(const Trace* trace, int64_t position);

  std::mutex m_mutex;
  std::condition_variable m_wake;
  std::shared_ptr<const Trace> m_pendingTrace;  // the newest request only
  int64_t m_pendingPosition = -1;
  std::deque<Entry> m_cache;                  // most recent last
  std::shared_ptr<const Trace> m_cacheOwner;  // the cache holds positions of this trace only
  bool m_stop = false;
  std::thread m_thread;
};

}  // namespace maxstate::ui
