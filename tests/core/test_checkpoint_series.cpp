// A training run's checkpoints: the folder listing, where each file lies in training (a resume file's
// epoch and step, a .safetensors header's, else the file name) and the training order. The files are built
// here (tests/core/checkpoint_writer.h) so that every odd value a pickle can hold is covered.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

#include "checkpoint_fixtures.h"
#include "checkpoint_writer.h"
#include "expect_error.h"
#include "maxstate/architecture.h"
#include "maxstate/checkpoint_series.h"

namespace maxstate::test {
namespace {

namespace fs = std::filesystem;

class SeriesFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() / ("maxstate_series_" + std::to_string(getpid()) + "_" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
  }
  void TearDown() override { fs::remove_all(m_dir); }

  std::string write(const std::string& name, const std::string& bytes) {
    const std::string path = (m_dir / name).string();
    writeInPlace(path, bytes);
    return path;
  }
  std::string dir() const { return m_dir.string(); }

 private:
  fs::path m_dir;
};

std::vector<TensorSpec> layer() {
  return {floatTensor("combined.weight", {16, 4}, someValues({16, 4}, 1)), floatTensor("alpha1", {}, {0.25f}),
          floatTensor("alpha2", {}, {-0.5f}), floatTensor("alpha3", {}, {1.75f}),
          floatTensor("head_linear.weight", {2, 10}, someValues({2, 10}, 0))};
}

// A resume file holding `step` = the given pickled value, beside a real epoch and optimizer state.
std::string resumeWithStep(const std::string& pickledStep) {
  return torchZipResume(layer(), {{"optimizer", "}"},  // an empty dict
                                  {"scaler", pickledNone()},
                                  {"epoch", pickledInt(2)},
                                  {"step", pickledStep}});
}

// A .safetensors file with one float32 tensor and the given "__metadata__" object (JSON text).
std::string safetensorsWith(const std::string& metadata) {
  const std::string header = "{\"__metadata__\":" + metadata +
                             ",\"alpha1\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}";
  std::string out(8, '\0');
  const uint64_t n = header.size();
  std::memcpy(out.data(), &n, 8);
  const float value = 0.5f;
  return out + header + std::string(reinterpret_cast<const char*>(&value), 4);
}

TEST(StepFromFileName, TakesTheLastRunOfDigitsInTheFileNameOnly) {
  EXPECT_EQ(stepFromFileName("pretrain_768_12.pth"), 12);
  EXPECT_EQ(stepFromFileName("step-00500.pt"), 500);
  EXPECT_EQ(stepFromFileName("/runs/exp7/pretrain_768_12_step300.pth"), 300);
  EXPECT_EQ(stepFromFileName("ckpt-v2.final.pt"), 2);  // only the last extension is dropped
  EXPECT_EQ(stepFromFileName("model_3.safetensors"), 3);
  EXPECT_EQ(stepFromFileName("/runs/exp7/model.pth"), std::nullopt);  // a folder's digits do not count
  EXPECT_EQ(stepFromFileName("latest.pt"), std::nullopt);
  EXPECT_EQ(stepFromFileName("run_123456789012345678901234.pt"), std::nullopt);  // beyond int64: a hash
  EXPECT_EQ(stepFromFileName("9223372036854775807.pt"), INT64_MAX);
}

TEST_F(SeriesFolder, AResumeFileGivesItsEpochAndStepWithoutReadingATensor) {
  std::vector<TensorSpec> tensors = layer();
  tensors[0].storage.payload[5] ^= 0x40;  // a weight that cannot be read is never read
  const std::string path = write("resume_77.pt", torchZipResume(tensors, {{"optimizer", "}"},
                                                                          {"epoch", pickledInt(2)},
                                                                          {"step", pickledInt(123)},
                                                                          {"scaler", pickledNone()}}));
  const TrainingProgress p = readTrainingProgress(path);
  EXPECT_EQ(p.epoch, 2);
  EXPECT_EQ(p.step, 123);  // the entry wins over the file name's 77

  const Checkpoint cp = readCheckpoint(path);
  EXPECT_EQ(cp.epoch, 2);
  EXPECT_EQ(cp.step, 123);
  EXPECT_EQ(cp.tensors.size(), 5u);
  EXPECT_EQ(cp.skipped, (std::vector<std::string>{"optimizer", "epoch", "step", "scaler"}));
  EXPECT_EQ(trainingProgressOf(cp, "elsewhere_5.pt").step, 123);
}

TEST_F(SeriesFolder, OneReadGivesBothTheProgressAndTheAlphas) {
  std::vector<TensorSpec> tensors = layer();
  tensors[0].storage.payload[5] ^= 0x40;  // the weights are never read
  const std::string path =
      write("resume.pt", torchZipResume(tensors, {{"epoch", pickledInt(3)}, {"step", pickledInt(60)}}));
  const Checkpoint cp = readCheckpoint(path);
  const ModelSummary s = inspectCheckpoint(cp, path);
  EXPECT_EQ(s.info.heads, 2);
  ASSERT_EQ(s.layers.size(), 1u);
  EXPECT_EQ(s.layers[0].alpha1, 0.25f);
  EXPECT_EQ(s.layers[0].alpha3, 1.75f);
  EXPECT_EQ(trainingProgressOf(cp, path).epoch, 3);
  // The side file beside `path` is read as inspectModel reads it: heads that do not fit are its fault.
  writeInPlace(path + ".json", "{\"heads\": 3}");
  const std::string error = errorOf([&] { inspectCheckpoint(cp, path); });
  EXPECT_EQ(error.rfind("BadFile: the side file " + path + ".json says 3", 0), 0u) << error;
}

TEST_F(SeriesFolder, StepsBeyondThirtyTwoBitsAndNegativeOnesAreKept) {
  EXPECT_EQ(readTrainingProgress(write("a.pt", resumeWithStep(pickledInt(int64_t{1} << 40)))).step,
            int64_t{1} << 40);
  EXPECT_EQ(readTrainingProgress(write("b.pt", resumeWithStep(pickledInt(-1)))).step, -1);
  EXPECT_EQ(readTrainingProgress(write("c.pt", resumeWithStep(pickledInt(INT64_MIN)))).step, INT64_MIN);
}

TEST_F(SeriesFolder, AStepThatIsNotAnIntegerIsUnknownAndTheFileNameIsUsed) {
  const std::vector<std::pair<std::string, std::string>> odd = {
      {"bool", pickledBool(true)},
      {"float", pickledFloat(300.0)},
      {"string", pickledStr("300")},
      {"none", pickledNone()},
      {"huge", pickledLong(std::string(8, '\0') + "\x01")},  // 2**64
      {"tuple", "(K\x01K\x02t"},
  };
  for (const auto& [what, value] : odd) {
    SCOPED_TRACE(what);
    const std::string named = write(what + "_step40.pt", resumeWithStep(value));
    const TrainingProgress p = readTrainingProgress(named);
    EXPECT_EQ(p.epoch, 2);
    EXPECT_EQ(p.step, 40);
    EXPECT_EQ(readCheckpoint(named).step, std::nullopt);
    EXPECT_EQ(readTrainingProgress(write(what + ".pt", resumeWithStep(value))).step, std::nullopt);
  }
}

TEST_F(SeriesFolder, AnEpochThatIsNotAnIntegerIsUnknown) {
  const std::string path =
      write("e.pt", torchZipResume(layer(), {{"epoch", pickledFloat(1.5)}, {"step", pickledInt(9)}}));
  const TrainingProgress p = readTrainingProgress(path);
  EXPECT_EQ(p.epoch, std::nullopt);
  EXPECT_EQ(p.step, 9);
  const std::string asBool = write("f.pt", torchZipResume(layer(), {{"epoch", pickledBool(false)}}));
  EXPECT_EQ(readTrainingProgress(asBool).epoch, std::nullopt);
}

TEST_F(SeriesFolder, GlobalStepCountsWhenThereIsNoStep) {
  // What PyTorch Lightning writes: {"epoch", "global_step", "state_dict", ...}.
  const std::string path =
      write("lightning.ckpt",
            torchZipResume(layer(), {{"epoch", pickledInt(4)}, {"global_step", pickledInt(800)}}));
  EXPECT_EQ(readTrainingProgress(path).step, 800);
  EXPECT_EQ(readTrainingProgress(path).epoch, 4);
  // A "step" entry that is not an integer is not replaced by global_step: the file says something odd.
  const std::string odd = write(
      "odd.ckpt", torchZipResume(layer(), {{"step", pickledStr("x")}, {"global_step", pickledInt(800)}}));
  EXPECT_EQ(readTrainingProgress(odd).step, std::nullopt);
}

TEST_F(SeriesFolder, APlainStateDictTakesItsStepFromTheFileName) {
  const std::string path = write("pretrain_768_12_step300.pth", torchZip(layer()));
  const TrainingProgress p = readTrainingProgress(path);
  EXPECT_EQ(p.epoch, std::nullopt);
  EXPECT_EQ(p.step, 300);
  EXPECT_EQ(readCheckpoint(path).step, std::nullopt);
  EXPECT_EQ(readTrainingProgress(write("final.pth", torchZip(layer()))).step, std::nullopt);
}

TEST_F(SeriesFolder, SafetensorsMetadataGivesStepAndEpochWhenTheyAreIntegers) {
  const TrainingProgress p =
      readTrainingProgress(write("m_9.safetensors", safetensorsWith(R"({"step": "1500", "epoch": "3"})")));
  EXPECT_EQ(p.step, 1500);
  EXPECT_EQ(p.epoch, 3);
  const TrainingProgress odd = readTrainingProgress(
      write("n_9.safetensors", safetensorsWith(R"({"step": "15.5", "epoch": "", "x": "1"})")));
  EXPECT_EQ(odd.step, 9);
  EXPECT_EQ(odd.epoch, std::nullopt);
  const std::string huge = write("h.safetensors", safetensorsWith(R"({"step": "99999999999999999999"})"));
  EXPECT_EQ(readTrainingProgress(huge).step, std::nullopt);
  EXPECT_EQ(readTrainingProgress(write("g.safetensors", safetensorsWith(R"({"global_step": "7"})"))).step, 7);
  EXPECT_EQ(readTrainingProgress(write("k_4.safetensors", safetensorsWith("{}"))).step, 4);
}

TEST_F(SeriesFolder, NotACheckpointIsABadFileNamingIt) {
  const std::string path = write("notes_5.pt", "these are notes, not weights\n");
  const std::string error = errorOf([&] { readTrainingProgress(path); });
  EXPECT_EQ(error.rfind("BadFile: " + path + ": not a checkpoint this tool can read", 0), 0u) << error;
}

TEST_F(SeriesFolder, ListsCheckpointFilesByExtensionSortedByName) {
  for (const char* name : {"b_2.pth", "a_10.pt", "c.safetensors", "d.bin", "e.ckpt", "F.PT", "notes.txt",
                           "a_10.pt.json", "vocab.json", "pt", "x.pt.bak"})
    write(name, "x");
  fs::create_directory(dir() + "/folder.pt");  // a folder is never a checkpoint
  fs::create_symlink(dir() + "/b_2.pth", dir() + "/latest.pt");
  fs::create_symlink(dir() + "/missing.pt", dir() + "/broken.pt");
  std::vector<std::string> expected;
  for (const char* name : {"F.PT", "a_10.pt", "b_2.pth", "c.safetensors", "d.bin", "e.ckpt", "latest.pt"})
    expected.push_back(dir() + "/" + name);
  EXPECT_EQ(checkpointFilesIn(dir()), expected);
  fs::create_directory(dir() + "/empty");
  EXPECT_EQ(checkpointFilesIn(dir() + "/empty"), std::vector<std::string>{});
}

TEST_F(SeriesFolder, AFolderThatCannotBeListedIsABadFile) {
  expectError([&] { checkpointFilesIn(dir() + "/nowhere"); }, ErrorKind::BadFile,
              dir() + "/nowhere: no such folder");
  const std::string file = write("a.pt", "x");
  expectError([&] { checkpointFilesIn(file); }, ErrorKind::BadFile, file + ": not a folder");
}

TEST(SortByTrainingProgress, EpochThenStepThenNameAndNoStepLast) {
  auto entry = [](const std::string& path, std::optional<int64_t> epoch, std::optional<int64_t> step) {
    return SeriesEntry{path, TrainingProgress{epoch, step}};
  };
  std::vector<SeriesEntry> entries = {
      entry("/r/final.pt", std::nullopt, std::nullopt),
      entry("/r/resume_e1.pt", 1, 50),
      entry("/r/z_step100.pt", std::nullopt, 100),
      entry("/q/a_step100.pt", std::nullopt, 100),  // same step: by file name, not by folder
      entry("/r/b_step20.pt", std::nullopt, 20),
      entry("/r/e2_nostep.pt", 2, std::nullopt),
      entry("/r/e0_nostep.pt", std::nullopt, std::nullopt),
      entry("/r/resume_e0.pt", 0, 500),
      entry("/r/neg.pt", std::nullopt, -1),
  };
  sortByTrainingProgress(entries);
  std::vector<std::string> order;
  for (const SeriesEntry& e : entries) order.push_back(e.path);
  EXPECT_EQ(order, (std::vector<std::string>{"/r/neg.pt", "/r/b_step20.pt", "/q/a_step100.pt",
                                             "/r/z_step100.pt", "/r/resume_e0.pt", "/r/resume_e1.pt",
                                             "/r/e0_nostep.pt", "/r/final.pt", "/r/e2_nostep.pt"}));
}

TEST(SortByTrainingProgress, SameFileNameInTwoFoldersEndsOnThePath) {
  std::vector<SeriesEntry> entries = {{"/b/m_1.pt", {}}, {"/a/m_1.pt", {}}};
  entries[0].progress.step = entries[1].progress.step = 1;
  sortByTrainingProgress(entries);
  EXPECT_EQ(entries[0].path, "/a/m_1.pt");
}

}  // namespace
}  // namespace maxstate::test
