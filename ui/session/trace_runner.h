#pragma once
// Runs long work (loading checkpoints, tracing) on a worker thread, one job at a time in order, with progress
// and cancel. The window stays responsive; a job's result is applied on the GUI thread only if it succeeded,
// so a failed or cancelled job leaves the session exactly as it was.
#include <QObject>
#include <QString>
#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <thread>

#include "maxstate/error.h"
#include "maxstate/trace.h"

namespace maxstate::ui {

class TraceRunner : public QObject {
  Q_OBJECT
 public:
  // What to do on the GUI thread once the job succeeded.
  using Commit = std::function<void()>;
  // Runs on the worker thread; throws maxstate::Error (Cancelled when progress.cancel was set) on failure.
  using Job = std::function<Commit(const Progress& progress)>;
  // Called on the GUI thread instead of the `failed` signal's default handling, when given; returns true if
  // it handled the error (e.g. by asking the user for the number of heads).
  using OnError = std::function<bool(const Error& error)>;

  explicit TraceRunner(QObject* parent = nullptr);
  ~TraceRunner() override;

  void enqueue(const QString& what, Job job, OnError onError = {});
  // Stops the running job at its next progress check and drops the queued ones.
  void cancel();
  bool busy() const { return m_running != nullptr; }
  // Blocks until idle (tests and shutdown); returns false on timeout.
  bool waitIdle(int timeoutMs);

 signals:
  void started(const QString& what);
  void progress(qint64 done, qint64 total);
  void finished(const QString& what);
  void failed(const QString& what, const QString& message);
  void cancelled(const QString& what);
  void idle();

 private:
  struct Task;
  void startNext();
  void onTaskDone(Task* task);

  std::deque<std::shared_ptr<Task>> m_queue;
  std::shared_ptr<Task> m_running;
  std::thread m_thread;
};

}  // namespace maxstate::ui
