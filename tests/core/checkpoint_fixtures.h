#pragma once
// The checkpoint fixtures make_checkpoints.py writes (golden set "checkpoints") and how the tests read them.
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "golden.h"
#include "maxstate/checkpoint.h"
#include "maxstate/error.h"

namespace maxstate::test {

inline std::string readBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline const char* errorKindName(ErrorKind k) {
  switch (k) {
    case ErrorKind::Usage:
      return "Usage";
    case ErrorKind::BadFile:
      return "BadFile";
    case ErrorKind::Unsupported:
      return "Unsupported";
    case ErrorKind::Shape:
      return "Shape";
    case ErrorKind::Cancelled:
      return "Cancelled";
    case ErrorKind::Internal:
      return "Internal";
  }
  return "?";
}

// Opening reads only what a file declares; these also read every tensor's values, as a full load does.
inline Checkpoint readEverything(const std::string& path) {
  Checkpoint c = readCheckpoint(path);
  for (const auto& [name, t] : c.tensors) t.values();
  return c;
}
inline Checkpoint readEverythingBytes(std::string_view bytes, const std::string& name) {
  Checkpoint c = readCheckpointBytes(bytes, name);
  for (const auto& [key, t] : c.tensors) t.values();
  return c;
}

// The checkpoint file of a good case.
inline std::string fixturePath(const std::string& caseName) {
  const auto expected = readJson(goldenDir("checkpoints") + "/" + caseName + "/expected.json");
  return goldenDir("checkpoints") + "/" + caseName + "/" + expected["file"].get<std::string>();
}

// Bitwise equality, except that any NaN equals any NaN (their payloads are not part of the contract).
inline bool sameFloat(float a, float b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  uint32_t x, y;
  std::memcpy(&x, &a, 4);
  std::memcpy(&y, &b, 4);
  return x == y;
}

// Reads what readCheckpoint throws, as "Kind: message"; "" when it does not throw.
template <class F>
std::string errorOf(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return std::string(errorKindName(e.kind())) + ": " + e.what();
  }
  return "";
}

}  // namespace maxstate::test
