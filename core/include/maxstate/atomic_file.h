#pragma once
// Files the user asks for are written atomically: a temporary file beside the target, flushed, then renamed
// over it. On any failure the temporary is removed and an existing file is left as it was.
#include <functional>
#include <ostream>
#include <string>

namespace maxstate {

// Calls `write` with a binary stream; throws Error(BadFile) naming the path if anything fails.
void writeFileAtomically(const std::string& path, const std::function<void(std::ostream&)>& write);

}  // namespace maxstate
