// Finding the bundled demo, and what it must contain: models of both variants from several training steps, an
// OpenASH vocabulary that uses proxy groups, and a default text it tokenises without unknowns.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>

#include "maxstate/error.h"
#include "maxstate/resources.h"
#include "maxstate/vocabulary.h"

namespace maxstate {
namespace {

namespace fs = std::filesystem;

// A scratch folder, removed afterwards; MAXSTATE_DATA_DIR is cleared so the developer's own setting does not
// leak in.
class Resources : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv("MAXSTATE_DATA_DIR");
    m_tmp = fs::temp_directory_path() / ("maxstate_test_resources_" + std::to_string(::getpid()));
    fs::remove_all(m_tmp);
    fs::create_directories(m_tmp);
  }
  void TearDown() override {
    ::unsetenv("MAXSTATE_DATA_DIR");
    fs::remove_all(m_tmp);
  }
  // A data folder whose demo/ holds `manifest` and the named empty files.
  fs::path makeDataDir(const std::string& name, const std::string& manifest,
                       const std::vector<std::string>& files) {
    const fs::path demo = m_tmp / name / "demo";
    fs::create_directories(demo);
    std::ofstream(demo / "demo.json") << manifest;
    for (const auto& f : files) std::ofstream(demo / f) << "x";
    return m_tmp / name;
  }
  fs::path m_tmp;
};

const char* kManifest = R"({"default_model": "m.pth", "vocabulary": "v.json", "text": "t.txt",
  "checkpoints": [{"file": "m.pth", "variant": "openash", "step": 7, "heads": 2, "demo_text_loss": 1.5}]})";

TEST_F(Resources, LooksInTheDataFoldersInOrder) {
  const fs::path empty = m_tmp / "empty";
  fs::create_directories(empty);
  const fs::path first = makeDataDir("first", kManifest, {"m.pth", "v.json", "t.txt"});
  const fs::path second = makeDataDir("second", kManifest, {"m.pth", "v.json", "t.txt"});
  EXPECT_EQ(findDemoDir({empty.string(), first.string(), second.string()}), (first / "demo").string());
  EXPECT_EQ(findDemoDir({(m_tmp / "missing").string(), second.string()}), (second / "demo").string());
}

TEST_F(Resources, SaysWhereItLookedWhenThereIsNoDemo) {
  try {
    findDemoDir({(m_tmp / "a").string(), (m_tmp / "b").string()});
    FAIL() << "no error";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_EQ(e.kind(), ErrorKind::BadFile);
    EXPECT_NE(msg.find("no demo model found"), std::string::npos) << msg;
    EXPECT_NE(msg.find((m_tmp / "a" / "demo").string()), std::string::npos) << msg;
    EXPECT_NE(msg.find((m_tmp / "b" / "demo").string()), std::string::npos) << msg;
    EXPECT_NE(msg.find("MAXSTATE_DATA_DIR"), std::string::npos) << msg;
  }
  EXPECT_THROW(findDemoDir({}), Error);
}

TEST_F(Resources, CandidatesAreTheEnvironmentTheInstalledLayoutAndTheSourceTree) {
  std::vector<std::string> dirs = dataDirCandidates();
  const fs::path exe = fs::read_symlink("/proc/self/exe");
  ASSERT_EQ(dirs.size(), 2u);
  EXPECT_EQ(dirs[0], (exe.parent_path().parent_path() / "share" / "maxstate-explorer").string());
  EXPECT_EQ(fs::canonical(dirs[1]), fs::canonical(fs::path(MAXSTATE_SOURCE_DIR) / "resources"));
  ::setenv("MAXSTATE_DATA_DIR", m_tmp.c_str(), 1);
  dirs = dataDirCandidates();
  ASSERT_EQ(dirs.size(), 3u);
  EXPECT_EQ(dirs[0], m_tmp.string());
}

TEST_F(Resources, TheEnvironmentWinsAndTheManifestNamesTheFiles) {
  const fs::path data = makeDataDir("env", kManifest, {"m.pth", "v.json", "t.txt"});
  ::setenv("MAXSTATE_DATA_DIR", data.c_str(), 1);
  EXPECT_EQ(demoDir(), (data / "demo").string());
  EXPECT_EQ(demoModelPath(), (data / "demo" / "m.pth").string());
  EXPECT_EQ(demoVocabularyPath(), (data / "demo" / "v.json").string());
  EXPECT_EQ(demoText(), "x");
  const std::vector<DemoCheckpoint> list = demoCheckpoints();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].path, (data / "demo" / "m.pth").string());
  EXPECT_EQ(list[0].variant, "openash");
  EXPECT_EQ(list[0].step, 7);
  EXPECT_EQ(list[0].heads, 2);
  EXPECT_EQ(list[0].demoTextLoss, 1.5);
}

TEST_F(Resources, AManifestNamingMissingFilesIsAClearError) {
  ::setenv("MAXSTATE_DATA_DIR", makeDataDir("broken", kManifest, {"v.json"}).c_str(), 1);
  for (const auto& call : std::vector<std::function<void()>>{[] { demoModelPath(); }, [] { demoTextPath(); },
                                                             [] { demoCheckpoints(); }}) {
    try {
      call();
      ADD_FAILURE() << "no error";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("is missing"), std::string::npos) << e.what();
    }
  }
  EXPECT_NO_THROW(demoVocabularyPath());
  ::setenv("MAXSTATE_DATA_DIR", makeDataDir("notjson", "{oops", {}).c_str(), 1);
  EXPECT_THROW(demoModelPath(), Error);
  ::setenv("MAXSTATE_DATA_DIR", makeDataDir("escape", R"({"text": "../../etc/passwd"})", {}).c_str(), 1);
  EXPECT_THROW(demoTextPath(), Error);  // names are plain file names inside demo/
}

// What ships: found from a build tree without any setting.
TEST_F(Resources, TheBundledDemoIsComplete) {
  const std::string dir = demoDir();
  EXPECT_EQ(fs::canonical(dir), fs::canonical(fs::path(MAXSTATE_SOURCE_DIR) / "resources" / "demo"));
  std::map<std::string, std::vector<int64_t>> steps;
  std::string lastOpenAsh;
  for (const DemoCheckpoint& c : demoCheckpoints()) {
    steps[c.variant].push_back(c.step);
    EXPECT_GT(c.heads, 0);
    if (c.variant == "openash") lastOpenAsh = c.path;
    if (c.variant == "seed") {  // heads cannot be read off a seed checkpoint: the side file gives them
      std::ifstream side(c.path + ".json");
      ASSERT_TRUE(side) << c.path << ".json is missing";
      EXPECT_EQ(nlohmann::json::parse(side).at("heads").get<int64_t>(), c.heads);
    }
  }
  ASSERT_EQ(steps.size(), 2u);
  for (const auto& [variant, list] : steps) {
    EXPECT_GE(list.size(), 3u) << variant;
    EXPECT_EQ(list.front(), 0) << variant;
    EXPECT_TRUE(std::is_sorted(list.begin(), list.end())) << variant;
  }
  EXPECT_EQ(demoModelPath(), lastOpenAsh);  // the default is the trained OpenASH-variant model

  uintmax_t bytes = 0;
  for (const auto& entry : fs::directory_iterator(dir)) bytes += entry.file_size();
  EXPECT_LT(bytes, 6u * 1024 * 1024);
}

TEST_F(Resources, TheDemoVocabularyCodesTheDemoTextWithBothProxyGroupSizes) {
  const Vocabulary v = Vocabulary::load(demoVocabularyPath());
  EXPECT_EQ(v.format(), VocabularyFormat::OpenAsh);
  EXPECT_GT(v.proxyCharacterCount(), 100);
  const std::string text = demoText();
  const std::vector<int64_t> ids = v.encode(text);
  EXPECT_EQ(v.decode(ids), text);
  std::map<int, int> groups;  // group size -> count
  for (const TokenInfo& t : v.describe(ids)) {
    EXPECT_NE(t.kind, TokenKind::ProxyBroken);
    EXPECT_NE(t.id, v.unknownId());
    if (t.kind == TokenKind::ProxyStart) ++groups[t.groupSize];
  }
  EXPECT_GT(groups[2], 0);
  EXPECT_GT(groups[3], 0);
}

}  // namespace
}  // namespace maxstate
