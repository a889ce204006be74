// Broken and hostile files: each gets an Error with a clear message, never a crash, a hang, another exception
// type, or an allocation the file does not justify.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <chrono>
#include <random>

#include "checkpoint_fixtures.h"

namespace maxstate::test {
namespace {

long maxRssMb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

// Either a checkpoint or an Error: anything else (another exception type, a crash) fails the test.
::testing::AssertionResult readsOrRefuses(std::string_view bytes, const std::string& name) {
  try {
    readEverythingBytes(bytes, name);
  } catch (const Error& e) {
    if (std::string(e.what()).rfind(name + ": ", 0) != 0)
      return ::testing::AssertionFailure() << "message does not start with the file name: " << e.what();
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << "threw a non-maxstate exception: " << e.what();
  }
  return ::testing::AssertionSuccess();
}

TEST(CheckpointBadFiles, EachGetsItsClearError) {
  const std::string dir = goldenDir("checkpoints") + "/bad";
  if (goldenCases("checkpoints").empty())
    GTEST_SKIP() << "no fixtures: run ctest (reference.checkpoints) first";
  const auto manifest = readJson(dir + "/bad.json");
  EXPECT_GE(manifest.size(), 90u);
  const long rssBefore = maxRssMb();
  for (const auto& item : manifest) {
    const std::string file = item["file"].get<std::string>();
    const std::string path = dir + "/" + file;
    const std::string kind = item["kind"].get<std::string>();
    const std::string message = item["message"].get<std::string>();
    SCOPED_TRACE(file);
    const auto start = std::chrono::steady_clock::now();
    const std::string error = errorOf([&] { readEverything(path); });
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (kind == "none") {
      EXPECT_EQ(error, "") << "a control file must load";
      continue;
    }
    EXPECT_EQ(error.rfind(kind + ": " + path + ": ", 0), 0u) << error;
    EXPECT_NE(error.find(message), std::string::npos)
        << "expected the message to contain '" << message << "', got: " << error;
    EXPECT_LT(seconds, 10.0) << "reading took " << seconds << " s";
    EXPECT_TRUE(readsOrRefuses(readBytes(path), path));
  }
  // Files that claim terabytes are refused before anything of that size is allocated.
  EXPECT_LT(maxRssMb() - rssBefore, 200) << "peak memory grew while reading the bad files";
}

TEST(CheckpointBadFiles, HostileGlobalsAreRefusedByName) {
  const std::string dir = goldenDir("checkpoints") + "/bad";
  if (goldenCases("checkpoints").empty()) GTEST_SKIP() << "no fixtures";
  for (const char* global :
       {"os.system", "posix.system", "builtins.eval", "subprocess.Popen", "builtins.exec"}) {
    SCOPED_TRACE(global);
    std::string file = std::string("global_") + global;
    file[file.find('.')] = '_';
    const std::string error = errorOf([&] { readCheckpoint(dir + "/" + file + ".pt"); });
    EXPECT_NE(error.find(std::string("`") + global + "`"), std::string::npos) << error;
    EXPECT_NE(error.find("BadFile"), std::string::npos) << error;
    EXPECT_NE(error.find("torch.save(model.state_dict()"), std::string::npos) << "says what to do: " << error;
  }
}

// Truncated at many points: at every byte of the head and tail, and evenly in between.
TEST(CheckpointBadFiles, TruncatedFilesAreRefusedAtEveryCutPoint) {
  if (goldenCases("checkpoints").empty()) GTEST_SKIP() << "no fixtures";
  for (const char* c : {"zip_state_dict", "legacy_state_dict", "safetensors_f16", "torchscript_layer",
                        "zip64", "zip_deflated", "resume_legacy_protocol4", "legacy_fp16_views"}) {
    SCOPED_TRACE(c);
    const std::string path = fixturePath(c);
    const std::string bytes = readBytes(path);
    std::vector<size_t> cuts;
    for (size_t i = 0; i < std::min<size_t>(bytes.size(), 300); ++i) cuts.push_back(i);
    for (size_t i = 300; i < bytes.size(); i += std::max<size_t>(1, bytes.size() / 500)) cuts.push_back(i);
    for (size_t i = bytes.size() > 300 ? bytes.size() - 300 : 0; i < bytes.size(); ++i) cuts.push_back(i);
    int wrong = 0;
    for (size_t cut : cuts) {
      const std::string error =
          errorOf([&] { readEverythingBytes(std::string_view(bytes).substr(0, cut), path); });
      if (error.rfind("BadFile: ", 0) != 0 && wrong++ < 5) ADD_FAILURE() << "cut at " << cut << ": " << error;
    }
  }
}

// Every byte flipped in turn: the result is a checkpoint or an Error (zip CRCs catch most flips), never a
// crash.
TEST(CheckpointBadFiles, FlippedBytesNeverCrash) {
  if (goldenCases("checkpoints").empty()) GTEST_SKIP() << "no fixtures";
  for (const char* c :
       {"layer_openash", "legacy_state_dict", "safetensors_f32", "torchscript_layer", "zip64"}) {
    SCOPED_TRACE(c);
    const std::string path = fixturePath(c);
    std::string bytes = readBytes(path);
    const size_t step = std::max<size_t>(1, bytes.size() / 6000);
    for (size_t i = 0; i < bytes.size(); i += step) {
      bytes[i] = static_cast<char>(bytes[i] ^ 0xff);
      ASSERT_TRUE(readsOrRefuses(bytes, path)) << "byte " << i;
      bytes[i] = static_cast<char>(bytes[i] ^ 0xff);
    }
    EXPECT_EQ(errorOf([&] { readEverythingBytes(bytes, path); }), "") << "the restored file must read again";
  }
}

TEST(CheckpointBadFiles, RandomBytesAreRefused) {
  std::mt19937 rng(42);
  const std::vector<std::string> heads = {"",
                                          std::string("PK\x03\x04", 4),
                                          std::string("PK\x05\x06", 4),
                                          std::string("\x80\x02", 2),
                                          std::string("\x80\x02\x8a\x0a", 4),
                                          std::string("\x10\x00\x00\x00\x00\x00\x00\x00{", 9)};
  for (int round = 0; round < 600; ++round) {
    std::string bytes = heads[static_cast<size_t>(round) % heads.size()];
    const size_t n = rng() % 3000;
    for (size_t i = 0; i < n; ++i) bytes += static_cast<char>(rng() & 0xff);
    const std::string name = round % 7 == 0 ? "random.safetensors" : "random.pt";
    const std::string error = errorOf([&] { readEverythingBytes(bytes, name); });
    EXPECT_FALSE(error.empty()) << "random bytes read as a checkpoint (round " << round << ")";
    EXPECT_TRUE(readsOrRefuses(bytes, name));
  }
  EXPECT_EQ(
      errorOf([] { readCheckpointBytes("", "empty.pt"); }).rfind("BadFile: empty.pt: the file is empty", 0),
      0u);
}

}  // namespace
}  // namespace maxstate::test
