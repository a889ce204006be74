// How long reading the published model's checkpoint takes, beside Python's torch.load on the same file.
// Target: under 1 s, and no slower than torch.load. Not run by ctest: run build/tests/bench/bench_checkpoint.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "maxstate/checkpoint.h"
#include "maxstate/error.h"

namespace {

const std::string kPython = "/usr/bin/python3";
const std::string kScript = std::string(MAXSTATE_SOURCE_DIR) + "/tests/bench/make_bench_checkpoint.py";

std::string run(const std::string& command) {
  std::string out;
  if (FILE* p = popen(command.c_str(), "r")) {
    char buf[512];
    while (fgets(buf, sizeof buf, p)) out += buf;
    if (pclose(p) != 0) out.clear();
  }
  return out;
}

double secondsOf(const std::string& path) {
  const auto start = std::chrono::steady_clock::now();
  const maxstate::Checkpoint ckpt = maxstate::readCheckpoint(path);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (ckpt.tensors.size() != 170) std::cerr << "unexpected tensor count " << ckpt.tensors.size() << "\n";
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string path =
      argc > 1 ? argv[1] : std::string(MAXSTATE_BINARY_DIR) + "/bench/openash_v23005_d768_l12_fp16.pth";
  const int repeats = 5;
  if (!std::filesystem::exists(path)) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::cout << "generating " << path << " with PyTorch ...\n" << std::flush;
    if (run(kPython + " " + kScript + " write '" + path + "'").empty()) {
      std::cerr << "could not generate the checkpoint (is python3-torch installed?)\n";
      return 1;
    }
  }
  try {
    secondsOf(path);  // warm the page cache, as torch.load's timing does
    std::vector<double> times;
    for (int i = 0; i < repeats; ++i) times.push_back(secondsOf(path));
    std::sort(times.begin(), times.end());
    const double ours = times.front();
    std::printf("file: %s (%.1f MB)\n", path.c_str(), std::filesystem::file_size(path) / 1e6);
    std::printf("readCheckpoint: best %.3f s, median %.3f s (of %d)\n", ours, times[times.size() / 2],
                repeats);
    const std::string out = run(kPython + " " + kScript + " time '" + path + "' " + std::to_string(repeats));
    const auto at = out.find("torch.load seconds: ");
    if (at == std::string::npos) {
      std::printf("torch.load: not measured (python3-torch missing?)\n");
      return 0;
    }
    const double theirs = std::stod(out.substr(at + 20));
    std::printf("torch.load:     best %.3f s (of %d)\n", theirs, repeats);
    std::printf("ratio readCheckpoint / torch.load: %.2f\n", ours / theirs);
    std::printf("target (< 1 s and no slower than torch.load): %s\n",
                ours < 1.0 && ours <= theirs ? "met" : "NOT met");
  } catch (const maxstate::Error& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
  return 0;
}
