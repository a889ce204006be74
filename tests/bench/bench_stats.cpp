// Long-context statistics at the published shape (V=23005, d=768, H=8, L=12) with random weights: peak memory
// and wall time of streamStats (what `maxstate stats` runs) over 8192 and 65,536 tokens, against a PyTorch
// forward over the same tokens in chunks carrying the states (tests/bench/bench_stats.py, /usr/bin/python3,
// same LibTorch and BLAS).
//
//   bench_stats [--tokens 8192,65536] [--chunk 8192] [--no-python]
//
// Targets (issue 15): peak RSS <= 1.5 GB and independent of the length; time / PyTorch <= 1.0. Each run is a
// child process of its own, so that its peak RSS is its own. The machine is shared: note its load.
#include <unistd.h>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "bench_common.h"
#include "maxstate/stats.h"
#include "maxstate/version.h"

namespace {

using Clock = std::chrono::steady_clock;
using namespace maxstate::bench;

// Child process: the model, then one streamed run over n tokens.
int statsRun(int64_t n, int64_t chunk) {
  const maxstate::Model model(publishedShape());
  const auto ids = tokens(n);
  const int64_t afterWeights = peakRssBytes();
  maxstate::StatsOptions options;
  options.chunk = chunk;
  const auto t0 = Clock::now();
  const maxstate::LongContextStats s = maxstate::streamStats(model, ids, options);
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  double nll = 0;
  for (int64_t i = 0; i < s.nll.size(); ++i) nll += s.nll[i];
  std::cout << nlohmann::json{{"peak_rss", peakRssBytes()},
                              {"after_weights", afterWeights},
                              {"seconds", seconds},
                              {"mean_nll", nll / double(s.nll.size())}}
                   .dump()
            << "\n";
  return 0;
}

nlohmann::json runChild(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return {};
  std::string out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  if (pclose(pipe) != 0) {
    std::cerr << "failed: " << command << "\n" << out;
    return {};
  }
  const size_t line = out.rfind('{');
  return line == std::string::npos ? nlohmann::json{}
                                   : nlohmann::json::parse(out.substr(line), nullptr, false);
}

double gib(const nlohmann::json& j, const char* key) { return double(j.value(key, int64_t(0))) / (1 << 30); }

const char* verdict(bool ok) { return ok ? "meets target" : "MISSES target"; }

double loadAverage() {
  double load = -1;
  if (FILE* f = fopen("/proc/loadavg", "r")) {
    if (fscanf(f, "%lf", &load) != 1) load = -1;
    fclose(f);
  }
  return load;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int64_t> lengths = {8192, 65536};
  int64_t chunk = 8192;
  bool python = true;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--run" && i + 2 < argc) return statsRun(std::stoll(argv[i + 1]), std::stoll(argv[i + 2]));
    if (a == "--tokens" && i + 1 < argc) {
      lengths.clear();
      std::stringstream list(argv[++i]);
      for (std::string n; std::getline(list, n, ',');) lengths.push_back(std::stoll(n));
    } else if (a == "--chunk" && i + 1 < argc) {
      chunk = std::stoll(argv[++i]);
    } else if (a == "--no-python") {
      python = false;
    } else {
      std::cerr << "usage: bench_stats [--tokens 8192,65536] [--chunk 8192] [--no-python]\n";
      return 2;
    }
  }
  char self[4096] = {};
  if (readlink("/proc/self/exe", self, sizeof self - 1) < 0) return 1;
  std::printf("BLAS: %s\nmodel: V=%lld d=%lld H=%lld L=%d (openash, random weights); chunks of %lld tokens\n",
              maxstate::blasInfo().c_str(), (long long)kVocab, (long long)kDim, (long long)kHeads, kLayers,
              (long long)chunk);
  std::printf("%8s | %-34s | %-34s | %s\n", "tokens", "maxstate streamStats", "PyTorch chunked forward",
              "ratio");
  for (int64_t n : lengths) {
    const double loadBefore = loadAverage();
    const auto c = runChild(std::string(self) + " --run " + std::to_string(n) + " " + std::to_string(chunk));
    nlohmann::json p;
    if (python) {
      p = runChild("/usr/bin/python3 " + std::string(MAXSTATE_BENCH_DIR) + "/bench_stats.py --tokens " +
                   std::to_string(n) + " --chunk " + std::to_string(chunk));
    }
    if (!c.contains("seconds")) return 1;
    const double ratio = p.contains("seconds") ? c["seconds"].get<double>() / p["seconds"].get<double>() : 0;
    std::printf("%8lld | %7.1f s, peak RSS %.2f GiB (%.2f weights) | ", (long long)n,
                c["seconds"].get<double>(), gib(c, "peak_rss"), gib(c, "after_weights"));
    if (p.contains("seconds"))
      std::printf("%7.1f s, peak RSS %.2f GiB (%.2f model) | %.2f (%s)", p["seconds"].get<double>(),
                  gib(p, "peak_rss"), gib(p, "after_model"), ratio, verdict(ratio <= 1.0));
    std::printf("  [load average %.1f -> %.1f]\n", loadBefore, loadAverage());
    std::printf("         peak RSS %.2f GB (target <= 1.5 GB: %s)\n",
                double(c.value("peak_rss", int64_t(0))) / 1e9,
                verdict(double(c.value("peak_rss", int64_t(0))) / 1e9 <= 1.5));
    std::fflush(stdout);
  }
  return 0;
}
