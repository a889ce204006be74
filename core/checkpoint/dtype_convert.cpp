#include "checkpoint/dtype_convert.h"

#include <algorithm>
#include <cstring>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#define MAXSTATE_X86 1
#endif

namespace maxstate::detail {

float halfToFloatExact(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000) << 16;
  uint32_t exp = (h >> 10) & 0x1f;
  uint32_t mant = h & 0x3ff;
  uint32_t bits;
  if (exp == 0) {
    if (mant == 0) {
      bits = sign;
    } else {  // subnormal half: a normal float
      exp = 127 - 15 + 1;
      while ((mant & 0x400) == 0) {
        mant <<= 1;
        --exp;
      }
      bits = sign | (exp << 23) | ((mant & 0x3ff) << 13);
    }
  } else if (exp == 31) {
    // Inf, or NaN made quiet, as the hardware conversion (and torch) do.
    bits = sign | 0x7f800000u | (mant << 13) | (mant ? 0x00400000u : 0u);
  } else {
    bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

void halfToFloatScalar(const uint16_t* src, float* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = halfToFloatExact(src[i]);
}

#ifdef MAXSTATE_X86
__attribute__((target("avx,f16c"))) static void halfToFloatF16C(const uint16_t* src, float* dst, size_t n) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i + 8));
    _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(a));
    _mm256_storeu_ps(dst + i + 8, _mm256_cvtph_ps(b));
  }
  for (; i < n; ++i) dst[i] = halfToFloatExact(src[i]);
}

// CPUID leaf 1: AVX (ECX bit 28), F16C (bit 29), and OSXSAVE (bit 27) with the OS saving YMM state (XCR0 bits
// 1-2). Read directly: clang 14's __builtin_cpu_supports does not know "f16c".
bool hasF16C() {
  static const bool yes = [] {
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return false;
    const bool cpu = (c & (1u << 27)) && (c & (1u << 28)) && (c & (1u << 29));
    if (!cpu) return false;
    unsigned lo = 0, hi = 0;
    __asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (lo & 6u) == 6u;
  }();
  return yes;
}
#else
bool hasF16C() { return false; }
#endif

void halfToFloatFast(const uint16_t* src, float* dst, size_t n) {
#ifdef MAXSTATE_X86
  if (hasF16C()) return halfToFloatF16C(src, dst, n);
#endif
  halfToFloatScalar(src, dst, n);
}

namespace {

// Unaligned sources (a storage offset can be odd) are copied through a small aligned buffer.
template <class T, class F>
void convertVia(const char* src, float* dst, size_t n, F&& convertAligned) {
  if (reinterpret_cast<uintptr_t>(src) % alignof(T) == 0) {
    convertAligned(reinterpret_cast<const T*>(src), dst, n);
    return;
  }
  T buffer[1024];
  for (size_t done = 0; done < n;) {
    const size_t k = std::min<size_t>(1024, n - done);
    std::memcpy(buffer, src + done * sizeof(T), k * sizeof(T));
    convertAligned(buffer, dst + done, k);
    done += k;
  }
}

}  // namespace

void convertContiguous(DType dtype, const char* src, float* dst, size_t n) {
  switch (dtype) {
    case DType::Float32:
      std::memcpy(dst, src, n * 4);
      return;
    case DType::Float16:
      convertVia<uint16_t>(src, dst, n,
                           [](const uint16_t* s, float* d, size_t k) { halfToFloatFast(s, d, k); });
      return;
    case DType::BFloat16:
      convertVia<uint16_t>(src, dst, n, [](const uint16_t* s, float* d, size_t k) {
        for (size_t i = 0; i < k; ++i) {
          const uint32_t bits = static_cast<uint32_t>(s[i]) << 16;
          std::memcpy(d + i, &bits, 4);
        }
      });
      return;
    case DType::Float64:
      convertVia<double>(src, dst, n, [](const double* s, float* d, size_t k) {
        for (size_t i = 0; i < k; ++i) d[i] = static_cast<float>(s[i]);
      });
      return;
    default:
      return;  // callers only pass floating types
  }
}

void convertStrided(DType dtype, const char* storage, int64_t offset, const Shape& shape, const Shape& stride,
                    float* dst) {
  const int64_t es = elementSize(dtype);
  const size_t nd = shape.size();
  int64_t numel = 1;
  for (int64_t s : shape) numel *= s;
  if (numel == 0) return;
  if (nd == 0) {
    convertContiguous(dtype, storage + offset * es, dst, 1);
    return;
  }
  // Walk the outer dimensions with an index counter; each innermost row is converted in one call when it is
  // contiguous, element by element otherwise.
  const int64_t rowLen = shape[nd - 1];
  const int64_t rowStride = stride[nd - 1];
  std::vector<int64_t> index(nd, 0);
  constexpr int64_t kGather = 4096;
  std::vector<char> gather;
  if (rowStride != 1 && rowLen > 1) gather.resize(static_cast<size_t>(std::min(rowLen, kGather) * es));
  int64_t base = offset;
  for (int64_t done = 0; done < numel; done += rowLen) {
    if (rowStride == 1 || rowLen == 1) {
      convertContiguous(dtype, storage + base * es, dst + done, static_cast<size_t>(rowLen));
    } else {
      // Gather a strided row into a dense buffer, then convert it in one call.
      for (int64_t j0 = 0; j0 < rowLen; j0 += kGather) {
        const int64_t k = std::min(kGather, rowLen - j0);
        for (int64_t j = 0; j < k; ++j)
          std::memcpy(gather.data() + j * es, storage + (base + (j0 + j) * rowStride) * es,
                      static_cast<size_t>(es));
        convertContiguous(dtype, gather.data(), dst + done + j0, static_cast<size_t>(k));
      }
    }
    for (size_t d = nd - 1; d-- > 0;) {
      base += stride[d];
      if (++index[d] < shape[d]) break;
      base -= stride[d] * shape[d];
      index[d] = 0;
    }
  }
}

}  // namespace maxstate::detail
