#include "cli/interrupt.h"

#include <csignal>

namespace maxstate::cli {
namespace {

std::atomic<bool> g_interrupted{false};

void onInterrupt(int signal) {
  g_interrupted.store(true);
  std::signal(signal, SIG_DFL);  // a second Ctrl+C ends the process at once
}

}  // namespace

InterruptAsCancel::InterruptAsCancel() {
  g_interrupted.store(false);
  m_previousInt = std::signal(SIGINT, onInterrupt);
  m_previousTerm = std::signal(SIGTERM, onInterrupt);
}

InterruptAsCancel::~InterruptAsCancel() {
  std::signal(SIGINT, m_previousInt == SIG_ERR ? SIG_DFL : m_previousInt);
  std::signal(SIGTERM, m_previousTerm == SIG_ERR ? SIG_DFL : m_previousTerm);
}

const std::atomic<bool>* InterruptAsCancel::flag() const { return &g_interrupted; }

}  // namespace maxstate::cli
