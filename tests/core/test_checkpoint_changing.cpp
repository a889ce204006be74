// A checkpoint rewritten while it is read (training saving in place: truncate, then write): never a crash,
// data read later comes from the version that was opened or the read says the file changed.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "checkpoint_fixtures.h"
#include "checkpoint_writer.h"
#include "maxstate/architecture.h"

namespace maxstate::test {
namespace {

const std::string kChanged = "the checkpoint changed while it was read (is training writing it?): try again";

std::string tempPath(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("maxstate_changing_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

// Same size, other values: only the file's identity (here its modification time) and the CRCs tell.
std::string version(float seed) { return torchZip(openAshModel(64, 16, 2, 2, seed)); }

void setMtime(const std::string& path, time_t seconds) {
  const timespec times[2] = {{seconds, 0}, {seconds, 0}};
  ASSERT_EQ(utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
}

TEST(ChangingCheckpoint, ModifiedBetweenOpeningAndReadingSaysSo) {
  const std::string path = tempPath("modified.pt");
  writeInPlace(path, version(0));
  setMtime(path, 1000000);
  const Checkpoint cp = readCheckpoint(path);
  writeInPlace(path, version(0.5f));
  setMtime(path, 2000000);
  EXPECT_EQ(errorOf([&] { cp.tensors.at("em.weight").values(); }), "BadFile: " + path + ": " + kChanged);
  EXPECT_EQ(errorOf([&] { recogniseModel(cp); }), "BadFile: " + path + ": " + kChanged);
  EXPECT_EQ(errorOf([&] { summariseModel(cp); }), "BadFile: " + path + ": " + kChanged) << "alphas too";
}

TEST(ChangingCheckpoint, TruncatedAfterOpeningSaysSoInsteadOfCrashing) {
  const std::string path = tempPath("truncated.pt");
  writeInPlace(path, version(0));
  const Checkpoint cp = readCheckpoint(path);
  ASSERT_EQ(::truncate(path.c_str(), 100), 0);
  EXPECT_EQ(errorOf([&] { cp.tensors.at("head_score.weight").values(); }),
            "BadFile: " + path + ": " + kChanged);
}

TEST(ChangingCheckpoint, AFileReplacedByRenameIsStillReadAsOpened) {
  // An atomic save (write elsewhere, rename over) leaves the opened version intact: it is what is read.
  const std::string path = tempPath("renamed.pt");
  const std::vector<TensorSpec> first = openAshModel(64, 16, 2, 2, 0);
  writeInPlace(path, torchZip(first));
  const Checkpoint cp = readCheckpoint(path);
  writeInPlace(path + ".tmp", version(0.5f));
  std::filesystem::rename(path + ".tmp", path);
  const FloatArray em = cp.tensors.at("em.weight").values();
  ASSERT_EQ(em.size(), 64 * 16);
  EXPECT_EQ(std::memcmp(em.data(), first[0].storage.payload.data(), 64 * 16 * 4), 0);
}

// A writer thread rewrites the file in place while it is opened and loaded over and over:
// every load gives one version's weights, whole, or a clear BadFile message.
TEST(ChangingCheckpoint, LoadsDuringRewritesGiveOneVersionOrAClearMessage) {
  const std::string path = tempPath("rewritten.pt");
  const std::vector<TensorSpec> a = openAshModel(64, 16, 2, 2, 0), b = openAshModel(64, 16, 2, 2, 0.5f);
  const std::string bytesA = torchZip(a), bytesB = torchZip(b);
  writeInPlace(path, bytesA);
  // Odd attempts start one rewrite as the load starts, so that they overlap at every stage of the load; even
  // attempts first wait for the writer to finish, so that some loads find the file whole however slow the
  // reader is (a writer that never pauses leaves the file empty most of the time, and a sanitized build reads
  // ten times slower: no load would ever succeed and the consistency check would prove nothing).
  std::atomic<bool> stop = false;
  std::atomic<int> requested = 0, done = 0;
  std::thread writer([&] {
    for (int seen = 0; !stop;) {
      while (requested == seen && !stop) std::this_thread::yield();
      seen = requested;
      writeInPlace(path, seen % 2 ? bytesA : bytesB);
      done = seen;
    }
  });
  int loaded = 0, changed = 0, other = 0;
  for (int i = 0; i < 300; ++i) {
    if (i % 2)
      ++requested;
    else
      while (done != requested) std::this_thread::yield();
    try {
      const ModelWeights w = loadModel(path);
      const float first = w.embedding[0];
      const std::vector<TensorSpec>& v = first == someValues({64, 16}, 0)[0] ? a : b;
      for (int n = 0; n < 2; ++n)  // every weight from the same version as the embedding
        ASSERT_EQ(w.layers[size_t(n)].residualAlpha, 0.5f + (&v == &a ? 0.f : 0.5f) + float(n) * 0.01f);
      ASSERT_EQ(std::memcmp(w.headScore.data(), v.back().storage.payload.data(), 64 * 16 * 4), 0);
      ++loaded;
    } catch (const Error& e) {
      const std::string message = e.what();
      ASSERT_EQ(e.kind(), ErrorKind::BadFile) << message;
      ASSERT_EQ(message.rfind(path + ": ", 0), 0u) << message;
      if (message == path + ": " + kChanged)
        ++changed;
      else if (++other <= 3)  // caught between truncation and the end record: "truncated", "empty", ...
        std::cout << "other message: " << message << "\n";
    }
  }
  stop = true;
  writer.join();
  std::cout << "loads: " << loaded << " whole, " << changed << " 'changed', " << other << " other messages\n";
  EXPECT_GT(changed + other, 0) << "the writer never overlapped a read: the test proved nothing";
  EXPECT_GT(loaded, 0) << "no load ever succeeded: the consistency of what is read was never checked";
}

}  // namespace
}  // namespace maxstate::test
