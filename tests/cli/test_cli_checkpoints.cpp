// `maxstate inspect` and `maxstate trace` on hostile and changing checkpoints, run as a user runs them: a
// 2 MB file whose storage inflates to 2 GiB, a model that does not fit the memory limit, a deflated entry
// whose size disagrees with the pickle, and a file rewritten in place by another process while it is read.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>

#include "checkpoint_writer.h"
#include "run_process.h"

namespace maxstate::test {
namespace {

const std::string kMaxstate = MAXSTATE_CLI;
const std::string kChanged = "the checkpoint changed while it was read (is training writing it?): try again";

std::string workDir(const std::string& name) {
  const auto dir = std::filesystem::path(MAXSTATE_BINARY_DIR) / "tests" / "cli" / "checkpoints" / name;
  std::filesystem::create_directories(dir);
  return dir.string();
}

// A bare openash layer whose combined.weight (hidden 11585, 5 heads) is a deflated entry of 2 GiB of zeros.
std::string twoGiBLayer(const std::string& dir) {
  constexpr int64_t d = 11585, heads = 5;
  const uint64_t size = uint64_t{1} << 31;  // >= 4 d^2 float32, the whole entry claimed by the pickle
  std::vector<TensorSpec> t;
  t.push_back({"combined.weight", {4 * d, d}, int64_t(size / 4), deflatedZeros(size)});
  t.push_back(floatTensor("alpha1", {}, {0.25f}));
  t.push_back(floatTensor("alpha2", {}, {-0.5f}));
  t.push_back(floatTensor("alpha3", {}, {1.75f}));
  t.push_back(floatTensor("head_linear.weight", {heads, 5 * heads}, someValues({heads, 5 * heads}, 0)));
  const std::string path = dir + "/two_gib.pt";
  writeInPlace(path, torchZip(t));
  return path;
}

TEST(CliCheckpoints, InspectOfATwoGiBDeflatedStorageIsFastAndSmall) {
  const std::string dir = workDir("two_gib");
  const std::string path = twoGiBLayer(dir);
  EXPECT_LT(std::filesystem::file_size(path), 3u << 20);
  const ProcessResult r = runProcess({kMaxstate, "inspect", path}, dir);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("hidden      11585\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("heads       5 (head size 2317)\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("    0  0.25            -0.5            1.75\n"), std::string::npos) << r.out;
  EXPECT_LT(r.peakRssMb, 200) << "inspect must not inflate the storage";
  EXPECT_LT(r.seconds, 10.0);
  std::cout << "inspect: " << r.seconds << " s, peak RSS " << r.peakRssMb << " MB\n";

  // Tracing it would need 2.15 GB: refused before anything is inflated.
  const ProcessResult t =
      runProcess({kMaxstate, "trace", path, "--input", dir + "/x.npy", "--out", dir + "/trace"}, dir,
                 {"MAXSTATE_MEMORY_LIMIT=1000000000"});
  EXPECT_EQ(t.exitCode, 1) << t.out << t.err;
  EXPECT_NE(
      t.err.find("needs about 2.15 GB of memory (its weights as float32), but only 1.00 GB is available "
                 "(MAXSTATE_MEMORY_LIMIT): close other programs or use a machine with more memory"),
      std::string::npos)
      << t.err;
  // Refused before allocating: the process stays far below the 2.15 GB it would need, and below the limit it
  // was given (LibTorch's runtime alone is about 300 MB, nearer 500 MB in a sanitized build).
  EXPECT_LT(t.peakRssMb, 1000) << "refused before allocating";
  std::cout << "refused trace: peak RSS " << t.peakRssMb << " MB\n";
}

TEST(CliCheckpoints, AModelLargerThanTheMemoryLimitIsRefusedWithBothSizes) {
  const std::string dir = workDir("limit");
  const std::string path = dir + "/model.pt";
  writeInPlace(path, torchZip(openAshModel(1000, 256, 4, 2, 0)));  // 5.7 MB of float32 weights
  const ProcessResult r = runProcess({kMaxstate, "trace", path, "--ids", "1,2,3", "--out", dir + "/trace"},
                                     dir, {"MAXSTATE_MEMORY_LIMIT=2000000"});
  EXPECT_EQ(r.exitCode, 1) << r.out << r.err;
  EXPECT_EQ(r.err,
            "maxstate trace: loading this model needs about 6 MB of memory (its weights as float32), but "
            "only 2 MB is available (MAXSTATE_MEMORY_LIMIT): close other programs or use a machine with "
            "more memory\n");
  const ProcessResult ok = runProcess({kMaxstate, "trace", path, "--ids", "1,2,3", "--out", dir + "/trace"},
                                      dir, {"MAXSTATE_MEMORY_LIMIT=8000000"});
  EXPECT_EQ(ok.exitCode, 0) << ok.err;
}

TEST(CliCheckpoints, ADeflatedEntryWhoseSizeDisagreesWithThePickleIsRefused) {
  const std::string dir = workDir("mismatch");
  std::vector<TensorSpec> t = openAshModel(100, 16, 2, 1, 0);
  t[0] = {"em.weight", {100, 16}, 1600, deflatedFloats(someValues({100, 8}, 0))};  // half of what it needs
  const std::string path = dir + "/mismatch.pt";
  writeInPlace(path, torchZip(t));
  const ProcessResult r = runProcess({kMaxstate, "inspect", path}, dir);
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_EQ(r.err,
            "maxstate inspect: " + path +
                ": storage '0' is a compressed entry that declares 3200 bytes, but the pickle says 1600 "
                "float32 elements (6400 bytes): refusing to inflate it (the file is corrupt or hostile)\n");
}

// What a reader may say about a file caught mid-rewrite: the "changed" sentence, or a clear BadFile message
// about a file that is (at that instant) empty or truncated.
bool clearMessage(const std::string& err, const std::string& command, const std::string& path) {
  const std::string prefix = "maxstate " + command + ": " + path + ": ";
  if (err.rfind(prefix, 0) != 0 || err.back() != '\n' || err.find('\n') != err.size() - 1) return false;
  const std::string message = err.substr(prefix.size());
  for (const char* known : {"the checkpoint changed while it was read", "the file is empty", "truncated"})
    if (message.find(known) != std::string::npos) return true;
  return false;
}

TEST(CliCheckpoints, ACheckpointRewrittenInPlaceNeverCrashesTheReader) {
  const std::string dir = workDir("rewrite");
  const std::string path = dir + "/training.pt";
  const std::string a = torchZip(openAshModel(1000, 256, 4, 2, 0)),
                    b = torchZip(openAshModel(1000, 256, 4, 2, 0.5f));
  writeInPlace(path, a);
  // The writer: another process rewriting the file as torch.save does (truncate, then write), syncing it to
  // disk, then pausing a random 0-200 ms as a training script saving often would -- so some reads find the
  // file whole and others overlap a rewrite at any stage, however fast the reader is (a sanitized build reads
  // ten times slower than a release build; a writer that never paused left no whole file to read there).
  const pid_t writer = fork();
  if (writer == 0) {
    std::srand(unsigned(getpid()));
    for (int i = 0;; ++i) {
      writeInPlace(path, i % 2 ? a : b);
      const int fd = ::open(path.c_str(), O_RDONLY);
      ::fsync(fd);
      ::close(fd);
      ::usleep(useconds_t(std::rand() % 200000));
    }
  }
  struct Count {
    int ok = 0, changed = 0, other = 0;
  };
  std::map<std::string, Count> counts;
  const auto seenBoth = [&] {
    int ok = 0, failed = 0;
    for (const auto& [command, c] : counts) ok += c.ok, failed += c.changed + c.other;
    return ok > 0 && failed > 0;
  };
  // At least 70 runs (50 inspect, 20 trace), more (up to 350) until a whole read and an overlap happened.
  for (int i = 0; i < 350 && (i < 70 || !seenBoth()); ++i) {
    const bool inspect = i % 7 < 5;
    const std::string command = inspect ? "inspect" : "trace";
    std::vector<std::string> argv = {kMaxstate, command, path};
    if (!inspect) argv.insert(argv.end(), {"--ids", "1,2,3,4", "--out", dir + "/trace"});
    const ProcessResult r = runProcess(argv, dir);
    Count& c = counts[command];
    if (r.signal != 0 || (r.exitCode != 0 && r.exitCode != 1)) ::kill(writer, SIGKILL);
    ASSERT_EQ(r.signal, 0) << command << " killed by signal " << r.signal << ": " << r.err;
    ASSERT_TRUE(r.exitCode == 0 || r.exitCode == 1) << command << " exit " << r.exitCode << ": " << r.err;
    if (r.exitCode == 0) {
      ++c.ok;
      continue;
    }
    EXPECT_TRUE(clearMessage(r.err, command, path)) << r.err;
    if (r.err.find(kChanged) != std::string::npos)
      ++c.changed;
    else if (++c.other <= 2)
      std::cout << "other message: " << r.err;
  }
  ::kill(writer, SIGKILL);
  ::waitpid(writer, nullptr, 0);
  for (const auto& [command, c] : counts)
    std::cout << command << ": " << c.ok << " ok, " << c.changed << " 'changed', " << c.other << " other\n";
  EXPECT_GT(
      counts["inspect"].changed + counts["inspect"].other + counts["trace"].changed + counts["trace"].other,
      0)
      << "the writer never overlapped a read: the test proved nothing";
  EXPECT_GT(counts["inspect"].ok + counts["trace"].ok, 0) << "no run ever read the file whole";
}

}  // namespace
}  // namespace maxstate::test
