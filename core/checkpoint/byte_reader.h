#pragma once
// Little-endian reads from untrusted bytes: every read is bounds-checked by the caller through `fits`.
#include <cstdint>
#include <cstring>
#include <string_view>

namespace maxstate::detail {

inline bool fits(std::string_view bytes, uint64_t offset, uint64_t length) {
  return offset <= bytes.size() && length <= bytes.size() - offset;
}

template <class T>
T loadLE(const char* p) {
  // Every supported platform is little-endian (checked in checkpoint.cpp), so a memcpy is the decode.
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

inline uint16_t u16At(std::string_view b, uint64_t off) { return loadLE<uint16_t>(b.data() + off); }
inline uint32_t u32At(std::string_view b, uint64_t off) { return loadLE<uint32_t>(b.data() + off); }
inline uint64_t u64At(std::string_view b, uint64_t off) { return loadLE<uint64_t>(b.data() + off); }

// a * b and a + b for non-negative sizes, false on overflow past `limit`.
inline bool mulWithin(int64_t a, int64_t b, int64_t limit, int64_t& out) {
  if (a < 0 || b < 0) return false;
  if (a != 0 && b > limit / a) return false;
  out = a * b;
  return out <= limit;
}
inline bool addWithin(int64_t a, int64_t b, int64_t limit, int64_t& out) {
  if (a < 0 || b < 0 || a > limit - b) return false;
  out = a + b;
  return true;
}

}  // namespace maxstate::detail
