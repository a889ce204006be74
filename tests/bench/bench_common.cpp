#include "bench_common.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

namespace maxstate::bench {
namespace {

// xorshift: fast deterministic weights (~85M of them).
struct Random {
  uint64_t s = 88172645463325252ull;
  float next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return float(s >> 40) / float(1 << 24) * 2 - 1;  // [-1, 1)
  }
  FloatArray array(Shape shape, float scale, float offset = 0) {
    FloatArray a(std::move(shape));
    for (int64_t i = 0; i < a.size(); ++i) a[i] = offset + scale * next();
    return a;
  }
};

}  // namespace

ModelWeights publishedShape() {
  Random r;
  const float s = 1.7f / std::sqrt(float(kDim));  // uniform with PyTorch's Linear variance, roughly
  ModelWeights w;
  w.info.kind = ModelKind::Model;
  w.embedding = r.array({kVocab, kDim}, 1.7f);
  w.headScore = r.array({kVocab, kDim}, s);
  for (int n = 0; n < kLayers; ++n) {
    DecoderLayerWeights l;
    l.attention.variant = Variant::OpenAsh;
    l.attention.heads = kHeads;
    l.attention.combined = r.array({4 * kDim, kDim}, s);
    l.attention.headLinear = r.array({kHeads, 5 * kHeads}, 0.25f);
    l.ffn1Weight = r.array({kDim, kDim}, s);
    l.ffn1Bias = r.array({kDim}, 0.03f);
    l.gateWeight = r.array({kDim, kDim}, s);
    l.gateBias = r.array({kDim}, 0.03f);
    l.ffn2Weight = r.array({kDim, kDim}, s);
    l.ffn2Bias = r.array({kDim}, 0.03f);
    l.normWeight = r.array({kDim}, 0.1f, 1);
    l.normBias = r.array({kDim}, 0.1f);
    w.layers.push_back(std::move(l));
  }
  return w;
}

std::vector<int64_t> tokens(int64_t n) {
  Random r;
  std::vector<int64_t> ids(static_cast<size_t>(n));
  for (auto& id : ids) id = static_cast<int64_t>((r.next() + 1) / 2 * (kVocab - 1));
  return ids;
}

int64_t peakRssBytes() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6)) * 1024;
  return -1;
}

bool readCountOptions(int argc, char** argv, const std::vector<std::pair<std::string, int64_t*>>& options,
                      const std::string& usage) {
  for (int i = 1; i < argc; i += 2) {
    auto option =
        std::find_if(options.begin(), options.end(), [&](const auto& o) { return o.first == argv[i]; });
    char* end = nullptr;
    const long long v = i + 1 < argc ? std::strtoll(argv[i + 1], &end, 10) : 0;
    if (option == options.end() || v <= 0 || *end != '\0') {
      std::cerr << "usage: " << usage << "\n";
      return false;
    }
    *option->second = v;
  }
  return true;
}

}  // namespace maxstate::bench
