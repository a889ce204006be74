#include "ui/session/lens_fetcher.h"

namespace maxstate::ui {

namespace {
constexpr size_t kCachedPositions = 512;
}

LensFetcher::LensFetcher(QObject* parent) : QObject(parent), m_thread([this] { run(); }) {}

LensFetcher::~LensFetcher() {
  {
    std::lock_guard lock(m_mutex);
    m_stop = true;
  }
  m_wake.notify_all();
  m_thread.join();
}

std::optional<LensRows> LensFetcher::cached(const Trace* trace, int64_t position) {
  for (const Entry& e : m_cache)
    if (e.trace == trace && e.position == position) return e.rows;
  return std::nullopt;
}

std::optional<LensRows> LensFetcher::request(const std::shared_ptr<const Trace>& trace, int64_t position) {
  {
    std::lock_guard lock(m_mutex);
    if (m_cacheOwner != trace) {
      // A new trace: positions of the old one are of no use any more.
      m_cache.clear();
      m_cacheOwner = trace;
    }
    if (auto rows = cached(trace.get(), position)) return rows;
    m_pendingTrace = trace;
    m_pendingPosition = position;
  }
  m_wake.notify_one();
  return std::nullopt;
}

void LensFetcher::run() {
  for (;;) {
    std::shared_ptr<const Trace> trace;
    int64_t position = -1;
    {
      std::unique_lock lock(m_mutex);
      m_wake.wait(lock, [this] { return m_stop || m_pendingTrace; });
      if (m_stop) return;
      trace = std::move(m_pendingTrace);
      position = m_pendingPosition;
      m_pendingTrace.reset();
    }
    LensRows rows;
    try {
      rows = trace->logitLens(position);
    } catch (const std::exception&) {
      // A trace without the lens (or a position gone): the view shows the lens as unavailable.
    }
    {
      std::lock_guard lock(m_mutex);
      if (m_cacheOwner != trace) continue;  // replaced meanwhile
      m_cache.push_back({trace.get(), position, std::move(rows)});
      if (m_cache.size() > kCachedPositions) m_cache.pop_front();
    }
    const void* key = trace.get();
    QMetaObject::invokeMethod(
        this, [this, key, position] { emit ready(key, position); }, Qt::QueuedConnection);
  }
}

}  // namespace maxstate::ui
