// How long reading the published model's checkpoint takes, beside Python's torch.load of the same file inside
// an already running interpreter. Prints, in one run: `maxstate inspect FILE` as a whole process (what a user
// waits for), the reading part of it in-process (readCheckpoint + summariseModel: declarations and scalars),
// a full load (readCheckpoint + recogniseModel: every weight read and converted to float32), torch.load, and
// the ratio inspect / torch.load. Target: ratio <= 0.3 (issue 11). Not run by ctest:
//   build/tests/bench/bench_checkpoint [FILE] [--maxstate PATH]
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "maxstate/architecture.h"
#include "maxstate/checkpoint.h"
#include "maxstate/error.h"

namespace {

const std::string kPython = "/usr/bin/python3";
const std::string kScript = std::string(MAXSTATE_SOURCE_DIR) + "/tests/bench/make_bench_checkpoint.py";
constexpr int kRepeats = 7;

std::string run(const std::string& command) {
  std::string out;
  if (FILE* p = popen(command.c_str(), "r")) {
    char buf[512];
    while (fgets(buf, sizeof buf, p)) out += buf;
    if (pclose(p) != 0) out.clear();
  }
  return out;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double secondsOf(const std::function<void()>& f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Median wall time of `kRepeats` runs of f, after one unmeasured run (warm page cache, as torch.load's).
double medianOf(const std::function<void()>& f) {
  f();
  std::vector<double> times;
  for (int i = 0; i < kRepeats; ++i) times.push_back(secondsOf(f));
  return median(times);
}

// The whole process, its output discarded; false if it did not exit 0.
bool runInspect(const std::string& maxstate, const std::string& path) {
  // Flushed first: the child would otherwise write a copy of what is still buffered when it reopens stdout.
  std::cout.flush();
  std::fflush(stdout);
  const pid_t pid = fork();
  if (pid == 0) {
    freopen("/dev/null", "w", stdout);
    execl(maxstate.c_str(), maxstate.c_str(), "inspect", path.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string path = std::string(MAXSTATE_BINARY_DIR) + "/bench/openash_v23005_d768_l12_fp16.pth";
  std::string maxstate = std::string(MAXSTATE_BINARY_DIR) + "/app/maxstate";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--maxstate" && i + 1 < argc)
      maxstate = argv[++i];
    else
      path = a;
  }
  if (!std::filesystem::exists(path)) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::cout << "generating " << path << " with PyTorch ...\n" << std::flush;
    if (run(kPython + " " + kScript + " write '" + path + "'").empty()) {
      std::cerr << "could not generate the checkpoint (is python3-torch installed?)\n";
      return 1;
    }
  }
  try {
    std::printf("file: %s (%.1f MB), medians of %d runs\n", path.c_str(),
                double(std::filesystem::file_size(path)) / 1e6, kRepeats);
    const double reading = medianOf([&] {
      const maxstate::ModelSummary s = maxstate::summariseModel(maxstate::readCheckpoint(path));
      if (s.info.layers != 12) std::cerr << "unexpected layer count " << s.info.layers << "\n";
    });
    std::printf("inspect's reading in-process (readCheckpoint + summariseModel): %.4f s\n", reading);
    const double loading = medianOf([&] {
      const maxstate::ModelWeights w = maxstate::recogniseModel(maxstate::readCheckpoint(path));
      if (w.layers.size() != 12) std::cerr << "unexpected layer count " << w.layers.size() << "\n";
    });
    std::printf("full load in-process (readCheckpoint + recogniseModel, float32): %.3f s\n", loading);

    double inspect = -1;
    if (access(maxstate.c_str(), X_OK) == 0 && runInspect(maxstate, path)) {
      inspect = medianOf([&] { runInspect(maxstate, path); });
      std::printf("maxstate inspect as a whole process: %.3f s (%s)\n", inspect, maxstate.c_str());
    } else {
      std::printf("maxstate inspect: not measured (%s missing or failing)\n", maxstate.c_str());
    }

    const std::string out =
        run(kPython + " " + kScript + " time '" + path + "' " + std::to_string(kRepeats) + " 2>/dev/null");
    const auto at = out.find("torch.load median seconds: ");
    if (at == std::string::npos) {
      std::printf("torch.load: not measured (python3-torch missing?)\n");
      return 0;
    }
    const double theirs = std::stod(out.substr(at + 27));
    std::printf("torch.load in a running Python: %.3f s\n", theirs);
    std::printf("ratio full load / torch.load: %.2f\n", loading / theirs);
    if (inspect > 0) {
      std::printf("ratio maxstate inspect / torch.load: %.2f (target <= 0.3: %s)\n", inspect / theirs,
                  inspect / theirs <= 0.3 ? "met" : "NOT met");
      std::printf("ratio inspect's reading / torch.load: %.3f\n", reading / theirs);
    }
  } catch (const maxstate::Error& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
  return 0;
}
