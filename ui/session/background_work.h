#pragma once
// The explorer's one way to run work off the GUI thread (QtConcurrent on a pool of its own, results back
// through QFutureWatcher), owned by the ExplorerController. Three shapes of the same mechanism:
//  - enqueue: long work the user asked for (open, trace, append), one job at a time in order, with progress
//    and cancel; its result is applied on the GUI thread only if it succeeded, so a failed or cancelled job
//    leaves the session exactly as it was;
//  - latest: work that follows the user (a layer's record, the logit lens at the cursor): per lane, while one
//    request runs only the newest one waiting is kept, the ones in between are skipped;
//  - await: a result the GUI thread needs now (export batches), computed while the event loop keeps running.
// Views never run work: they read the session, which the commits fill.
#include <QEventLoop>
#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>
#include <array>
#include <atomic>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <optional>

#include "maxstate/error.h"
#include "maxstate/trace.h"

namespace maxstate::ui {

class BackgroundWork : public QObject {
  Q_OBJECT
 public:
  // What to do on the GUI thread once the work succeeded.
  using Commit = std::function<void()>;
  // Runs on a worker; throws maxstate::Error (Cancelled when progress.cancel was set) on failure.
  using Job = std::function<Commit(const Progress& progress)>;
  // Called on the GUI thread instead of the `failed` signal's default handling, when given; returns true if
  // it handled the error (e.g. by asking the user for the number of heads).
  using OnError = std::function<bool(const Error& error)>;
  // The lanes of `latest`: each keeps at most one request running and one waiting.
  enum class Lane { Layer, Lens };

  explicit BackgroundWork(QObject* parent = nullptr);
  ~BackgroundWork() override;

  void enqueue(const QString& what, Job job, OnError onError = {});
  // Stops the running job at its next progress check and drops the queued ones.
  void cancel();
  bool busy() const { return m_running != nullptr; }
  // Blocks until the queue is idle (tests and shutdown); returns false on timeout.
  bool waitIdle(int timeoutMs);

  // `work` runs on a worker and must not throw (it returns a commit that reports its own errors); the commit
  // runs on the GUI thread and checks itself whether its result is still wanted.
  void latest(Lane lane, std::function<Commit()> work);

  // Runs `work` on a worker and returns its result; exceptions come back to the caller.
  template <class T>
  T await(std::function<T()> work);

 signals:
  void started(const QString& what);
  void progress(qint64 done, qint64 total);
  void finished(const QString& what);
  void failed(const QString& what, const QString& message);
  void cancelled(const QString& what);
  void idle();

 private:
  struct Task;
  struct LaneState {
    bool running = false;
    std::function<Commit()> waiting;
  };
  void startNext();
  void onTaskDone();
  void startLane(Lane lane);

  QThreadPool m_pool;
  std::deque<std::shared_ptr<Task>> m_queue;
  std::shared_ptr<Task> m_running;
  std::array<LaneState, 2> m_lanes;
};

template <class T>
T BackgroundWork::await(std::function<T()> work) {
  auto result = std::make_shared<std::optional<T>>();
  auto error = std::make_shared<std::exception_ptr>();
  QFutureWatcher<void> watcher;
  QEventLoop loop;
  connect(&watcher, &QFutureWatcher<void>::finished, &loop, &QEventLoop::quit);
  watcher.setFuture(QtConcurrent::run(&m_pool, [work = std::move(work), result, error] {
    try {
      *result = work();
    } catch (...) {
      *error = std::current_exception();
    }
  }));
  if (!watcher.isFinished()) loop.exec();
  if (*error) std::rethrow_exception(*error);
  return std::move(**result);
}

}  // namespace maxstate::ui
