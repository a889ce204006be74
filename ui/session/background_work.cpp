#include "ui/session/background_work.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QThread>
#include <chrono>

namespace maxstate::ui {

struct BackgroundWork::Task {
  QString what;
  Job job;
  OnError onError;
  std::atomic<bool> cancel{false};
  std::atomic<int64_t> lastReportMs{-1000};
  // Written by the worker before its future finishes; read on the GUI thread afterwards.
  Commit commit;
  std::optional<Error> error;
  QFutureWatcher<void> watcher;
};

BackgroundWork::BackgroundWork(QObject* parent) : QObject(parent) {
  // One queued job, one request per lane and one awaited result can run side by side.
  m_pool.setMaxThreadCount(4);
}

BackgroundWork::~BackgroundWork() {
  cancel();
  // Commits are dropped with their watchers; the workers only need to finish.
  m_pool.waitForDone();
}

void BackgroundWork::enqueue(const QString& what, Job job, OnError onError) {
  auto task = std::make_shared<Task>();
  task->what = what;
  task->job = std::move(job);
  task->onError = std::move(onError);
  m_queue.push_back(std::move(task));
  if (!m_running) startNext();
}

void BackgroundWork::cancel() {
  m_queue.clear();
  if (m_running) m_running->cancel = true;
}

bool BackgroundWork::waitIdle(int timeoutMs) {
  QDeadlineTimer deadline(timeoutMs);
  while (busy() || !m_queue.empty()) {
    if (deadline.hasExpired()) return false;
    QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    QThread::msleep(1);
  }
  return true;
}

void BackgroundWork::startNext() {
  if (m_queue.empty()) {
    emit idle();
    return;
  }
  m_running = m_queue.front();
  m_queue.pop_front();
  emit started(m_running->what);
  emit progress(0, 0);
  Task* task = m_running.get();
  connect(&task->watcher, &QFutureWatcher<void>::finished, this, &BackgroundWork::onTaskDone);
  task->watcher.setFuture(QtConcurrent::run(&m_pool, [this, task] {
    Progress progress;
    progress.cancel = &task->cancel;
    const auto t0 = std::chrono::steady_clock::now();
    progress.report = [this, task, t0](int64_t done, int64_t total) {
      // At most ~30 updates a second reach the GUI thread, and always the last one.
      const int64_t ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
              .count();
      if (done < total && ms - task->lastReportMs.load() < 33) return;
      task->lastReportMs = ms;
      QMetaObject::invokeMethod(
          this, [this, done, total] { emit this->progress(done, total); }, Qt::QueuedConnection);
    };
    try {
      task->commit = task->job(progress);
      if (task->cancel) throw Error(ErrorKind::Cancelled, "cancelled");
    } catch (const Error& e) {
      task->error = e;
    } catch (const std::bad_alloc&) {
      task->error = Error(ErrorKind::Internal, "out of memory: try a shorter input");
    } catch (const std::exception& e) {
      task->error = Error(ErrorKind::Internal, e.what());
    } catch (...) {
      task->error = Error(ErrorKind::Internal, "unknown error");
    }
  }));
}

void BackgroundWork::onTaskDone() {
  const std::shared_ptr<Task> task = std::move(m_running);  // lives until its handlers have run
  if (!task->error) {
    try {
      if (task->commit) task->commit();
      emit finished(task->what);
    } catch (const std::exception& e) {
      emit failed(task->what, QString::fromStdString(e.what()));
    }
  } else if (task->error->kind() == ErrorKind::Cancelled) {
    emit cancelled(task->what);
  } else if (!(task->onError && task->onError(*task->error))) {
    emit failed(task->what, QString::fromStdString(task->error->what()));
  }
  if (!m_running) startNext();
}

void BackgroundWork::latest(Lane lane, std::function<Commit()> work) {
  LaneState& state = m_lanes[static_cast<size_t>(lane)];
  state.waiting = std::move(work);  // replaces a request that has not started: it is out of date
  if (!state.running) startLane(lane);
}

void BackgroundWork::startLane(Lane lane) {
  LaneState& state = m_lanes[static_cast<size_t>(lane)];
  state.running = true;
  auto commit = std::make_shared<Commit>();
  auto* watcher = new QFutureWatcher<void>(this);
  connect(watcher, &QFutureWatcher<void>::finished, this, [this, lane, watcher, commit] {
    watcher->deleteLater();
    LaneState& s = m_lanes[static_cast<size_t>(lane)];
    s.running = false;
    if (*commit) (*commit)();
    if (s.waiting && !s.running) startLane(lane);
  });
  watcher->setFuture(QtConcurrent::run(&m_pool, [work = std::move(state.waiting), commit] {
    try {
      *commit = work();
    } catch (...) {
      // The work reports its own errors through its commit; anything else has nothing to show.
    }
  }));
  state.waiting = nullptr;
}

}  // namespace maxstate::ui
