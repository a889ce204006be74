#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "maxstate/error.h"
#include "maxstate/memory.h"

namespace maxstate {
namespace {

std::optional<uint64_t> parseBytes(const std::string& text) {
  if (text.empty() || text.size() > 20 || text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::stoull(text);
}

std::optional<uint64_t> memAvailable() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  uint64_t kb = 0;
  std::string unit;
  while (in >> key >> kb) {
    std::getline(in, unit);
    if (key == "MemAvailable:") return kb * 1024;
  }
  return std::nullopt;
}

std::optional<uint64_t> readNumberFile(const std::string& path) {
  std::ifstream in(path);
  std::string text;
  if (!(in >> text)) return std::nullopt;
  return parseBytes(text);  // "max" (no limit) gives nullopt
}

// The room left under the tightest cgroup v2 memory.max from this process's cgroup up to the root.
std::optional<uint64_t> cgroupRoom() {
  std::ifstream in("/proc/self/cgroup");
  std::string line, path;
  while (std::getline(in, line))
    if (line.rfind("0::", 0) == 0) path = line.substr(3);
  if (path.empty()) return std::nullopt;
  std::optional<uint64_t> room;
  for (;;) {
    const std::string dir = "/sys/fs/cgroup" + (path == "/" ? std::string() : path);
    const auto max = readNumberFile(dir + "/memory.max");
    const auto current = readNumberFile(dir + "/memory.current");
    if (max) {
      const uint64_t left = current && *current < *max ? *max - *current : 0;
      if (!room || left < *room) room = left;
    }
    if (path == "/" || path.empty()) break;
    const size_t slash = path.rfind('/');
    path = slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
  }
  return room;
}

}  // namespace

std::optional<AvailableMemory> availableMemory() {
  if (const char* env = std::getenv("MAXSTATE_MEMORY_LIMIT"); env && *env) {
    const auto bytes = parseBytes(env);
    if (!bytes)
      throw Error(ErrorKind::Usage, "MAXSTATE_MEMORY_LIMIT is '" + std::string(env) +
                                        "', not a number of bytes: set it to an integer such as 4000000000, "
                                        "or unset it");
    return AvailableMemory{*bytes, "MAXSTATE_MEMORY_LIMIT"};
  }
  std::optional<AvailableMemory> out;
  if (const auto available = memAvailable())
    out = AvailableMemory{*available, "MemAvailable in /proc/meminfo"};
  if (const auto room = cgroupRoom(); room && (!out || *room < out->bytes))
    out = AvailableMemory{*room, "the memory.max limit of this process's cgroup"};
  return out;
}

std::string formatBytes(uint64_t bytes) {
  char buf[64];
  if (bytes >= 1000000000)
    std::snprintf(buf, sizeof buf, "%.2f GB", double(bytes) / 1e9);
  else if (bytes < 1000000)
    std::snprintf(buf, sizeof buf, "%llu bytes", static_cast<unsigned long long>(bytes));
  else
    std::snprintf(buf, sizeof buf, "%.0f MB", double(bytes) / 1e6);
  return buf;
}

void checkMemoryFits(uint64_t needed, const std::string& what) {
  const auto available = availableMemory();
  if (!available || needed <= available->bytes) return;
  throw Error(ErrorKind::BadFile, what + " needs about " + formatBytes(needed) +
                                      " of memory (its weights as float32), but only " +
                                      formatBytes(available->bytes) + " is available (" + available->source +
                                      "): close other programs or use a machine with more memory");
}

}  // namespace maxstate
