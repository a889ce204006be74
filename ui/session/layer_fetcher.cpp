#include "ui/session/layer_fetcher.h"

namespace maxstate::ui {

LayerFetcher::LayerFetcher(QObject* parent) : QObject(parent), m_thread([this] { run(); }) {}

LayerFetcher::~LayerFetcher() {
  {
    std::lock_guard lock(m_mutex);
    m_stop = true;
  }
  m_wake.notify_all();
  m_thread.join();
}

void LayerFetcher::request(const std::shared_ptr<const Trace>& trace, int layer) {
  {
    std::lock_guard lock(m_mutex);
    m_trace = trace;
    m_layer = layer;
  }
  m_wake.notify_one();
}

void LayerFetcher::run() {
  for (;;) {
    std::shared_ptr<const Trace> trace;
    int layer = -1;
    {
      std::unique_lock lock(m_mutex);
      m_wake.wait(lock, [this] { return m_stop || m_trace; });
      if (m_stop) return;
      trace = std::move(m_trace);
      layer = m_layer;
      m_trace.reset();
    }
    QString error;
    try {
      trace->layer(layer);  // the trace caches it; the GUI thread then finds it at once
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    }
    const void* key = trace.get();
    QMetaObject::invokeMethod(
        this, [this, key, layer, error] { emit ready(key, layer, error); }, Qt::QueuedConnection);
  }
}

}  // namespace maxstate::ui
