#pragma once
// Typed errors with messages a user can act on. The CLI maps them to exit codes, the UI to dialogs.
#include <stdexcept>
#include <string>

namespace maxstate {

enum class ErrorKind {
  Usage,        // wrong arguments or options (CLI exit code 2)
  BadFile,      // missing, corrupt, truncated or hostile file
  Unsupported,  // a readable file whose layout or content we do not handle
  Shape,        // tensors whose shapes contradict each other or the model
  Cancelled,    // the user cancelled long work
  Internal,     // a bug: should never reach a user
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), m_kind(kind) {}
  ErrorKind kind() const { return m_kind; }

 private:
  ErrorKind m_kind;
};

}  // namespace maxstate
