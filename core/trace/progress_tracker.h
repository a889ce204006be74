#pragma once
// Progress reports and cancellation for one piece of long work (core-internal).
#include <cstdint>

#include "maxstate/error.h"
#include "maxstate/trace.h"

namespace maxstate::detail {

class ProgressTracker {
 public:
  ProgressTracker(const Progress& progress, int64_t total) : m_progress(progress), m_total(total) {}

  // Called before each unit of work: stops with Error(Cancelled) once the caller asked to cancel.
  void check() const {
    if (m_progress.cancel && m_progress.cancel->load(std::memory_order_relaxed)) {
      throw Error(ErrorKind::Cancelled, "the trace was cancelled");
    }
  }
  void advance(int64_t units = 1) {
    m_done += units;
    if (m_progress.report) m_progress.report(m_done, m_total);
  }

 private:
  const Progress& m_progress;
  int64_t m_total = 0;
  int64_t m_done = 0;
};

}  // namespace maxstate::detail
