#include "ui/session/trace_runner.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>
#include <chrono>

namespace maxstate::ui {

struct TraceRunner::Task {
  QString what;
  Job job;
  OnError onError;
  std::atomic<bool> cancel{false};
  std::atomic<int64_t> lastReportMs{-1000};
  // Written by the worker before it posts completion; read on the GUI thread afterwards.
  Commit commit;
  std::optional<Error> error;
};

TraceRunner::TraceRunner(QObject* parent) : QObject(parent) {}

TraceRunner::~TraceRunner() {
  m_queue.clear();
  if (m_running) m_running->cancel = true;
  if (m_thread.joinable()) m_thread.join();
}

void TraceRunner::enqueue(const QString& what, Job job, OnError onError) {
  auto task = std::make_shared<Task>();
  task->what = what;
  task->job = std::move(job);
  task->onError = std::move(onError);
  m_queue.push_back(std::move(task));
  if (!m_running) startNext();
}

void TraceRunner::cancel() {
  m_queue.clear();
  if (m_running) m_running->cancel = true;
}

bool TraceRunner::waitIdle(int timeoutMs) {
  QElapsedTimer timer;
  timer.start();
  while (busy() || !m_queue.empty()) {
    if (timer.elapsed() > timeoutMs) return false;
    QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    QThread::msleep(1);
  }
  return true;
}

void TraceRunner::startNext() {
  if (m_queue.empty()) {
    emit idle();
    return;
  }
  m_running = m_queue.front();
  m_queue.pop_front();
  emit started(m_running->what);
  emit progress(0, 0);
  Task* task = m_running.get();
  m_thread = std::thread([this, task] {
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
    QMetaObject::invokeMethod(
        this, [this, task] { onTaskDone(task); }, Qt::QueuedConnection);
  });
}

void TraceRunner::onTaskDone(Task* task) {
  if (m_thread.joinable()) m_thread.join();
  const std::shared_ptr<Task> keep = m_running;  // the task lives until its handlers have run
  m_running.reset();
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

}  // namespace maxstate::ui
