#pragma once
// Reading a whole file the user named (a vocabulary, a conversation, a text), with one wording for failures.
#include <string>

namespace maxstate::detail {

// The file's bytes. Throws Error(BadFile) "cannot read <what> <path>: no such file" (or "not a regular file",
// the system's reason, "larger than N MB").
std::string readUserFile(const std::string& path, const std::string& what);

}  // namespace maxstate::detail
