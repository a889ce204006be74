#pragma once
// Ctrl+C (SIGINT) and SIGTERM as a cancel request for long work: while an InterruptAsCancel lives, the first
// signal sets the flag (the work stops with Error(Cancelled) at its next check and cleans up); a second one
// ends the process as usual.
#include <atomic>

namespace maxstate::cli {

class InterruptAsCancel {
 public:
  InterruptAsCancel();
  ~InterruptAsCancel();  // restores the previous handlers
  InterruptAsCancel(const InterruptAsCancel&) = delete;
  InterruptAsCancel& operator=(const InterruptAsCancel&) = delete;

  const std::atomic<bool>* flag() const;

 private:
  void (*m_previousInt)(int) = nullptr;
  void (*m_previousTerm)(int) = nullptr;
};

}  // namespace maxstate::cli
