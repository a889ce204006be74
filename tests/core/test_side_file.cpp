// The heads side file (`<checkpoint>.json`): read, written atomically keeping other fields, and every bad
// content refused with a message that says what is wrong and what is expected.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "expect_error.h"
#include "maxstate/architecture.h"
#include "maxstate/error.h"

namespace maxstate {
namespace {

class SideFile : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = std::filesystem::temp_directory_path() /
            ("maxstate_test_side_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(m_dir);
    std::filesystem::create_directories(m_dir);
    m_checkpoint = (m_dir / "m.pth").string();
  }
  void TearDown() override { std::filesystem::remove_all(m_dir); }
  void writeSide(const std::string& text) { std::ofstream(m_checkpoint + ".json", std::ios::binary) << text; }
  std::string readSide() const {
    std::ifstream in(m_checkpoint + ".json");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  void expectBad(const std::string& text, const std::string& problem) {
    writeSide(text);
    expectError(
        [&] { readHeadsSideFile(m_checkpoint); }, ErrorKind::BadFile,
        "side file " + m_checkpoint + ".json " + problem + ": expected a JSON object like {\"heads\": 8}");
  }

  std::filesystem::path m_dir;
  std::string m_checkpoint;
};

TEST_F(SideFile, AbsentMeansNoHeads) {
  EXPECT_EQ(headsSideFilePath(m_checkpoint), m_checkpoint + ".json");
  EXPECT_EQ(readHeadsSideFile(m_checkpoint), std::nullopt);
}

TEST_F(SideFile, ReadsHeads) {
  writeSide("{\"heads\": 8}");
  EXPECT_EQ(readHeadsSideFile(m_checkpoint), std::optional<int64_t>(8));
  writeSide(" {\n  \"note\": \"written by hand\",\n  \"heads\": 1 }\n");
  EXPECT_EQ(readHeadsSideFile(m_checkpoint), std::optional<int64_t>(1));
}

TEST_F(SideFile, WritesAtomicallyAndKeepsOtherFields) {
  writeHeadsSideFile(m_checkpoint, 4);
  EXPECT_EQ(readHeadsSideFile(m_checkpoint), std::optional<int64_t>(4));
  EXPECT_EQ(nlohmann::json::parse(readSide()), nlohmann::json::parse("{\"heads\": 4}"));

  writeSide("{\"heads\": 2, \"note\": \"keep me\"}");
  writeHeadsSideFile(m_checkpoint, 6);
  EXPECT_EQ(nlohmann::json::parse(readSide()),
            nlohmann::json::parse("{\"heads\": 6, \"note\": \"keep me\"}"));

  writeSide("not json");  // replaced, since the user asked for these heads
  writeHeadsSideFile(m_checkpoint, 3);
  EXPECT_EQ(readHeadsSideFile(m_checkpoint), std::optional<int64_t>(3));

  // Only the side file is left: no temporary beside it.
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(m_dir))
    names.push_back(e.path().filename().string());
  EXPECT_EQ(names, std::vector<std::string>{"m.pth.json"});

  expectError([&] { writeHeadsSideFile(m_checkpoint, 0); }, ErrorKind::Usage,
              "cannot write " + m_checkpoint + ".json: heads must be from 1 to 1048576, not 0");
  EXPECT_EQ(readHeadsSideFile(m_checkpoint), std::optional<int64_t>(3));  // untouched
  expectError([&] { writeHeadsSideFile((m_dir / "no-such-folder" / "m.pth").string(), 8); },
              ErrorKind::BadFile,
              "cannot write " + (m_dir / "no-such-folder" / "m.pth.json").string() + ": folder " +
                  (m_dir / "no-such-folder").string() + " does not exist");
}

TEST_F(SideFile, BadContentGivesAClearError) {
  expectBad("", "is not valid JSON (error at byte 1)");
  expectBad("{\"heads\": 8", "is not valid JSON (error at byte 12)");
  expectBad("heads=8", "is not valid JSON (error at byte 1)");
  expectBad("[8]", "does not hold a JSON object");
  expectBad("8", "does not hold a JSON object");
  expectBad("{\"head\": 8}", "has no \"heads\" field");
  expectBad("{\"heads\": 0}", "has \"heads\": 0, which is not a whole number from 1 to 1048576");
  expectBad("{\"heads\": -2}", "has \"heads\": -2, which is not a whole number from 1 to 1048576");
  expectBad("{\"heads\": 2.5}", "has \"heads\": 2.5, which is not a whole number from 1 to 1048576");
  expectBad("{\"heads\": \"8\"}", "has \"heads\": \"8\", which is not a whole number from 1 to 1048576");
  expectBad("{\"heads\": null}", "has \"heads\": null, which is not a whole number from 1 to 1048576");
  expectBad("{\"heads\": 99999999999999999999}",
            "has \"heads\": 1e+20, which is not a whole number from 1 to 1048576");
  expectBad("{\"heads\": 18446744073709551615}",
            "has \"heads\": 18446744073709551615, which is not a whole number from 1 to 1048576");
  expectBad("{\"heads\": 2000000}", "has \"heads\": 2000000, which is not a whole number from 1 to 1048576");
  expectBad(std::string(100000, ' '), "is 100000 bytes, far too large");
}

TEST_F(SideFile, AFolderInItsPlaceIsRefused) {
  std::filesystem::create_directories(m_checkpoint + ".json");
  expectError([&] { readHeadsSideFile(m_checkpoint); }, ErrorKind::BadFile,
              "side file " + m_checkpoint +
                  ".json is not a regular file: expected a JSON object like {\"heads\": 8}");
}

}  // namespace
}  // namespace maxstate
