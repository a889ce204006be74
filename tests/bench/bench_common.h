#pragma once
// What the model benchmarks share: the published OpenASH shape (V=23005, d=768, H=8, L=12) with deterministic
// pseudo-random weights and token ids for it (their values do not matter for speed), the best time of a few
// runs, and the process's peak resident memory.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "maxstate/architecture.h"

namespace maxstate::bench {

constexpr int64_t kVocab = 23005, kDim = 768, kHeads = 8;
constexpr int kLayers = 12;

ModelWeights publishedShape();
std::vector<int64_t> tokens(int64_t n);

// Seconds of the fastest of `runs` calls of f.
template <class F>
double bestOf(int runs, F&& f) {
  double best = 1e30;
  for (int i = 0; i < runs; ++i) {
    const auto t = std::chrono::steady_clock::now();
    f();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count());
  }
  return best;
}

int64_t peakRssBytes();  // VmHWM of this process, -1 when unknown

// Reads `--name N` pairs (N > 0) into the named variables; prints `usage` and returns false for anything
// else.
bool readCountOptions(int argc, char** argv, const std::vector<std::pair<std::string, int64_t*>>& options,
                      const std::string& usage);

}  // namespace maxstate::bench
