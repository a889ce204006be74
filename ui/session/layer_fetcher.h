#pragma once
// A layer's full record is recomputed by the core from the layer's stored input the first time it is asked
// for
// (~0.5 s for 2048 tokens of the published model): done here on a worker thread so that changing the layer
// never freezes the window. While the user moves on, only the newest request is computed.
#include <QObject>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "maxstate/trace.h"

namespace maxstate::ui {

class LayerFetcher : public QObject {
  Q_OBJECT
 public:
  explicit LayerFetcher(QObject* parent = nullptr);
  ~LayerFetcher() override;

  void request(const std::shared_ptr<const Trace>& trace, int layer);

 signals:
  // The record of (trace, layer) is in the trace's cache now (or failed with `error` non-empty).
  void ready(const void* trace, int layer, const QString& error);

 private:
  void run();

  std::mutex m_mutex;
  std::condition_variable m_wake;
  std::shared_ptr<const Trace> m_trace;  // the newest request only
  int m_layer = -1;
  bool m_stop = false;
  std::thread m_thread;
};

}  // namespace maxstate::ui
