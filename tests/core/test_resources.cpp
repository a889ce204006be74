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

const char* kZhManifest =
    R"({"name": "zh", "title": "Chinese", "default_model": "z.pth", "vocabulary": "v.json",
  "text": "t.txt", "long_text": "long.txt", "long_text_ids": "long.json", "chat": "chat.json", "tokenizer": "openash",
  "text_ids": [1, 20, 3], "chat_ids": [1, 7, 2, 1, 6], "train_length": 256,
  "checkpoints": [{"file": "z.pth", "variant": "openash", "step": 600, "heads": 4}]})";

TEST_F(Resources, ListsTheMainDemoFirstThenTheOnesItNames) {
  const std::string top =
      R"({"name": "en", "title": "English", "default_model": "m.pth", "vocabulary": "v.json",
    "text": "t.txt", "train_length": 128, "demos": ["zh"], "checkpoints": []})";
  const fs::path data = makeDataDir("two", top, {"m.pth", "v.json", "t.txt"});
  const fs::path zh = data / "demo" / "zh";
  fs::create_directories(zh);
  std::ofstream(zh / "demo.json") << kZhManifest;
  for (const char* f : {"z.pth", "v.json", "t.txt", "long.txt", "long.json", "chat.json"})
    std::ofstream(zh / f) << "x";
  ::setenv("MAXSTATE_DATA_DIR", data.c_str(), 1);

  const std::vector<DemoInfo> list = demos();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].name, "en");
  EXPECT_EQ(list[0].title, "English");
  EXPECT_EQ(list[0].modelPath, demoModelPath());  // the main demo is the default one
  EXPECT_EQ(list[0].trainLength, 128);
  EXPECT_EQ(list[0].tokenizer, "longest");  // what a manifest that does not say was coded with
  EXPECT_TRUE(list[0].longTextPath.empty());
  EXPECT_TRUE(list[0].chatPath.empty());
  EXPECT_TRUE(list[0].textIds.empty());
  const DemoInfo& z = list[1];
  EXPECT_EQ(z.name, "zh");
  EXPECT_EQ(z.title, "Chinese");
  EXPECT_EQ(z.dir, zh.string());
  EXPECT_EQ(z.modelPath, (zh / "z.pth").string());
  EXPECT_EQ(z.vocabularyPath, (zh / "v.json").string());  // its own vocabulary, not the main demo's
  EXPECT_EQ(z.textPath, (zh / "t.txt").string());
  EXPECT_EQ(z.longTextPath, (zh / "long.txt").string());
  EXPECT_EQ(z.longTextIdsPath, (zh / "long.json").string());
  EXPECT_EQ(z.chatPath, (zh / "chat.json").string());
  EXPECT_EQ(z.tokenizer, "openash");
  EXPECT_EQ(z.textIds, (std::vector<int64_t>{1, 20, 3}));
  EXPECT_EQ(z.chatIds, (std::vector<int64_t>{1, 7, 2, 1, 6}));
  EXPECT_EQ(z.trainLength, 256);
  ASSERT_EQ(z.checkpoints.size(), 1u);
  EXPECT_EQ(z.checkpoints[0].path, (zh / "z.pth").string());
  EXPECT_EQ(z.checkpoints[0].step, 600);
  EXPECT_EQ(demo("zh").modelPath, z.modelPath);
  try {
    demo("fr");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("there are: en, zh"), std::string::npos) << e.what();
  }
}

TEST_F(Resources, ABadDemoListIsAClearError) {
  const std::map<std::string, std::string> cases = {
      {R"("demos": ["../elsewhere"])", "not the name of a folder"},
      {R"("demos": [".."])", "not the name of a folder"},
      {R"("demos": "zh")", "is not a list"},
      {R"("demos": ["absent"])", "has no demo.json"}};
  int n = 0;
  for (const auto& [field, expected] : cases) {
    const std::string top =
        R"({"default_model": "m.pth", "vocabulary": "v.json", "text": "t.txt", "checkpoints": [], )" + field +
        "}";
    ::setenv("MAXSTATE_DATA_DIR",
             makeDataDir("bad" + std::to_string(n++), top, {"m.pth", "v.json", "t.txt"}).c_str(), 1);
    try {
      demos();
      ADD_FAILURE() << field << ": no error";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::BadFile);
      EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << field << ": " << e.what();
    }
  }
  // A listed demo whose manifest names a missing file or holds a bad id says which.
  const fs::path data =
      makeDataDir("badzh", R"({"default_model": "m.pth", "vocabulary": "v.json", "text": "t.txt",
    "checkpoints": [], "demos": ["zh"]})",
                  {"m.pth", "v.json", "t.txt"});
  fs::create_directories(data / "demo" / "zh");
  std::ofstream(data / "demo" / "zh" / "demo.json") << kZhManifest;
  ::setenv("MAXSTATE_DATA_DIR", data.c_str(), 1);
  try {
    demos();
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find((data / "demo" / "zh" / "z.pth").string() + " it names is missing"),
              std::string::npos)
        << e.what();
  }
  for (const char* f : {"z.pth", "v.json", "t.txt", "long.txt", "long.json", "chat.json"})
    std::ofstream(data / "demo" / "zh" / f) << "x";
  std::string withBadId = kZhManifest;
  withBadId.replace(withBadId.find("[1, 20, 3]"), 10, "[1, -2, 3]");
  std::ofstream(data / "demo" / "zh" / "demo.json") << withBadId;
  try {
    demos();
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("\"text_ids\" holds -2, not a token id"), std::string::npos)
        << e.what();
  }
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

  uintmax_t bytes = 0;  // the English demo's own files (other demos sit in subfolders, checked below)
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_regular_file()) bytes += entry.file_size();
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

// The characters of a UTF-8 text, sorted: what a reordering encoder keeps.
std::vector<std::string> sortedCharacters(const std::string& text) {
  std::vector<std::string> out;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80 && !out.empty())
      out.back() += text[i];
    else
      out.emplace_back(1, text[i]);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string fileText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The Chinese demo (tools/train_demo.py --demo zh): an OpenASH vocabulary with every special of SPEC 4 and
// the Basic Multilingual Plane's CJK characters as proxy groups, texts coded by OpenASH's encoder (its ids
// hold the text's characters, in the encoder's order), a long text far past the training length, and a chat.
TEST_F(Resources, TheBundledChineseDemoIsAnOpenAshModelTrainedOnShortChunks) {
  const std::vector<DemoInfo> list = demos();
  ASSERT_GE(list.size(), 2u);
  EXPECT_EQ(list[0].name, "en");
  EXPECT_EQ(list[0].modelPath, demoModelPath());
  EXPECT_EQ(list[0].trainLength, 128);
  const DemoInfo zh = demo("zh");
  EXPECT_FALSE(zh.title.empty());
  EXPECT_EQ(zh.tokenizer, "openash");
  EXPECT_EQ(zh.trainLength, 256);

  const Vocabulary v = Vocabulary::load(zh.vocabularyPath);
  EXPECT_EQ(v.format(), VocabularyFormat::OpenAsh);
  EXPECT_GT(v.proxyCharacterCount(), 20000);  // the rest of the BMP's CJK characters
  const std::vector<std::string> first = {"<|pad|>",       "<|im_start|>", "<|im_end|>", "<|think|>",
                                          "<|end_think|>", "<|user|>",     "<|agent|>",  "<|system|>",
                                          "<|func|>",      "<|args|>",     "<|unk|>"};
  for (size_t id = 0; id < first.size(); ++id)
    EXPECT_EQ(v.find(first[id]), std::optional<int64_t>(id)) << first[id];
  for (const char* special :
       {"<|tools|>", "<|end_tools|>", "<tool_call>", "</tool_call>", "<tool_response>", "</tool_response>"}) {
    ASSERT_TRUE(v.find(special)) << special;
    EXPECT_EQ(v.describe({*v.find(special)})[0].kind, TokenKind::Special) << special;
  }

  std::map<int, int> groups;
  for (const TokenInfo& t : v.describe(zh.textIds)) {
    EXPECT_NE(t.kind, TokenKind::ProxyBroken);
    EXPECT_NE(t.kind, TokenKind::Unknown);
    EXPECT_NE(t.id, v.unknownId());
    if (t.kind == TokenKind::ProxyStart) ++groups[t.groupSize];
  }
  EXPECT_GT(groups[2], 0);
  EXPECT_GT(groups[3], 0);
  const std::string text = fileText(zh.textPath);
  EXPECT_GE(zh.textIds.size(), 30u);
  EXPECT_EQ(sortedCharacters(v.decode(zh.textIds)), sortedCharacters(text));

  const nlohmann::json longIds = nlohmann::json::parse(fileText(zh.longTextIdsPath));
  ASSERT_TRUE(longIds.is_array());
  EXPECT_GE(longIds.size(), 4000u);  // far past the training length
  EXPECT_EQ(sortedCharacters(v.decode(longIds.get<std::vector<int64_t>>())),
            sortedCharacters(fileText(zh.longTextPath)));

  const nlohmann::json chat = nlohmann::json::parse(fileText(zh.chatPath));
  ASSERT_TRUE(chat.is_array());
  std::vector<std::string> roles;
  for (const auto& m : chat) roles.push_back(m.at("role").get<std::string>());
  EXPECT_EQ(roles, (std::vector<std::string>{"system", "user", "assistant"}));
  ASSERT_GE(zh.chatIds.size(), 4u);
  EXPECT_EQ(v.labels({zh.chatIds[0], zh.chatIds[1]}),
            (std::vector<std::string>{"<|im_start|>", "<|system|>"}));
  EXPECT_EQ(v.labels({zh.chatIds.end()[-2], zh.chatIds.end()[-1]}),
            (std::vector<std::string>{"<|im_start|>", "<|agent|>"}));  // ends on the assistant's turn opener

  ASSERT_GE(zh.checkpoints.size(), 3u);
  EXPECT_EQ(zh.checkpoints.front().step, 0);
  EXPECT_EQ(zh.checkpoints.back().path, zh.modelPath);
  for (const DemoCheckpoint& c : zh.checkpoints) {
    EXPECT_EQ(c.variant, "openash");
    const nlohmann::json side = nlohmann::json::parse(fileText(c.path + ".json"));
    EXPECT_EQ(side.at("heads").get<int64_t>(), c.heads) << c.path;
    EXPECT_EQ(side.at("train_length").get<int64_t>(), zh.trainLength) << c.path;
  }
  uintmax_t bytes = 0;
  for (const auto& entry : fs::directory_iterator(zh.dir))
    if (entry.is_regular_file()) bytes += entry.file_size();
  EXPECT_LT(bytes, 5u * 1024 * 1024);
}

}  // namespace
}  // namespace maxstate
