#pragma once
// How much memory the process may still use, and the check loading a model makes before it allocates: a
// model that cannot fit is refused with a message rather than getting the program killed.
#include <cstdint>
#include <optional>
#include <string>

namespace maxstate {

struct AvailableMemory {
  uint64_t bytes = 0;
  std::string
      source;  // where the figure comes from, for messages: "MemAvailable", "MAXSTATE_MEMORY_LIMIT", ...
};

// The environment variable MAXSTATE_MEMORY_LIMIT (an integer number of bytes) when set: it replaces the
// machine's figure (tests and the explorer's helpers use it). Otherwise MemAvailable from /proc/meminfo, or
// the room left under a cgroup v2 memory.max when lower. nullopt when nothing can be read. Throws
// Error(Usage) for a MAXSTATE_MEMORY_LIMIT that is not a non-negative integer.
std::optional<AvailableMemory> availableMemory();

// Throws Error(BadFile) when `needed` bytes exceed the available memory: "<what> needs about 2.15 GB of
// memory (its weights as float32), but only 512 MB is available (MAXSTATE_MEMORY_LIMIT): close other
// programs or use a machine with more memory".
void checkMemoryFits(uint64_t needed, const std::string& what);

// "512 MB", "2.15 GB" (decimal units, as file managers show sizes).
std::string formatBytes(uint64_t bytes);

}  // namespace maxstate
