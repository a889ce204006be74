// OpenASH's chat template (SPEC.md 4.2) against tests/reference/openash_encode_ref.py: every role and
// optional field, tool lists and calls as JSON values and as strings; and the errors a user can make.
#include <gtest/gtest.h>

#include <functional>

#include "jieba_golden.h"
#include "maxstate/chat.h"
#include "maxstate/error.h"

namespace maxstate {
namespace {

using Ids = std::vector<int64_t>;

TEST(Chat, EqualsTheReference) {
  const nlohmann::json cases = test::jiebaGolden("chat.json");
  ASSERT_GE(cases.size(), 10u);
  for (const auto& c : cases) {
    const std::string file = c.at("file").get<std::string>();
    const std::string vocab = c.at("vocab").get<std::string>();
    const Vocabulary v = Vocabulary::load(test::jiebaGoldenPath("vocab_" + vocab + ".json"));
    const std::vector<ChatMessage> messages = loadChat(test::jiebaGoldenPath(file));
    EXPECT_EQ(encodeChat(v, messages), c.at("ids").get<Ids>()) << file << " with vocabulary " << vocab;
    const Ids noPrompt = encodeChat(v, messages, Tokenizer::OpenAsh, false);
    EXPECT_EQ(noPrompt.size() + 2, c.at("ids").size());
  }
}

TEST(Chat, ToolValuesAreWrittenAsPythonsJsonDumps) {
  const nlohmann::json cases = test::jiebaGolden("dumps.json");
  ASSERT_GE(cases.size(), 5u);
  for (const auto& c : cases) EXPECT_EQ(pythonJsonDumps(c[0].get<std::string>()), c[1].get<std::string>());
}

TEST(Chat, ReadsEveryField) {
  const auto m = parseChat(R"J({"messages": [
    {"role": "system", "content": "s", "tools": [{"b": 1, "a": [true, null, 0.5]}]},
    {"role": "assistant", "content": null, "reasoning_content": "r", "tool_calls": "call()", "tools": "ignored"},
    {"role": "tool", "content": "t", "tool_calls": [1]}]})J",
                           "c.json");
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].role, ChatRole::System);
  EXPECT_EQ(m[0].tools, R"([{"b": 1, "a": [true, null, 0.5]}])");
  EXPECT_EQ(m[1].role, ChatRole::Assistant);
  EXPECT_EQ(m[1].content, "");
  EXPECT_EQ(m[1].reasoning, "r");
  EXPECT_EQ(m[1].toolCalls, "call()");
  EXPECT_EQ(m[1].tools, "");  // a field the role does not use is ignored, as the script does
  EXPECT_EQ(m[2].role, ChatRole::Tool);
  EXPECT_EQ(m[2].toolCalls, "");
  EXPECT_STREQ(chatRoleName(ChatRole::Assistant), "assistant");
}

void expectError(const std::function<void()>& f, ErrorKind kind, const std::string& part) {
  try {
    f();
    ADD_FAILURE() << "no error (expected: " << part << ")";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << e.what();
    EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

TEST(Chat, ClearErrors) {
  const auto parse = [](const std::string& text) { return [text] { parseChat(text, "c.json"); }; };
  expectError(parse(R"([{"role": "bot", "content": "x"}])"), ErrorKind::BadFile,
              "message 1 of 1 has the unknown role \"bot\": use system, user, assistant or tool");
  expectError(parse(R"([{"role": "user", "content": "x"}, {"role": "user"}])"), ErrorKind::BadFile,
              "message 2 of 2 (user) has no \"content\"");
  expectError(parse(R"([{"content": "x"}])"), ErrorKind::BadFile, "has no \"role\" string");
  expectError(parse(R"([{"role": "user", "content": 5}])"), ErrorKind::BadFile,
              "\"content\" must be a string, not a JSON number");
  expectError(parse(R"({"role": "user"})"), ErrorKind::BadFile, "must be a JSON list of messages");
  expectError(parse("[]"), ErrorKind::BadFile, "has no messages");
  expectError(parse("[1]"), ErrorKind::BadFile, "message 1 of 1 is a JSON number");
  expectError(parse("[{"), ErrorKind::BadFile, "conversation c.json is not valid JSON: parse error");
  expectError(parse("[\"\xC3\"]"), ErrorKind::BadFile, "not valid UTF-8 (byte 2)");
  expectError([] { loadChat("/nonexistent/chat.json"); }, ErrorKind::BadFile, "no such file");
  expectError([] { pythonJsonDumps("{"); }, ErrorKind::Usage, "not valid JSON");

  const Vocabulary tiny =
      Vocabulary::load(std::string(MAXSTATE_SOURCE_DIR) + "/tests/data/vocab/tiny_openash.json");
  // tiny_openash has OpenASH's first eleven specials only: a user turn works, tools do not.
  EXPECT_EQ(encodeChat(tiny, parseChat(R"([{"role": "user", "content": "abc"}])", "c")),
            (Ids{1, 5, 15, 2, 1, 6}));
  expectError(
      [&] { encodeChat(tiny, parseChat(R"([{"role": "system", "content": "", "tools": "t"}])", "c")); },
      ErrorKind::BadFile, "has no <|tools|>: OpenASH's chat template needs its specials");
  expectError([&] { encodeChat(tiny, parseChat(R"([{"role": "tool", "content": "a"}])", "c")); },
              ErrorKind::BadFile, "has no <tool_response>");
  expectError(
      [] { encodeChat(Vocabulary::rawIds(), parseChat(R"([{"role": "user", "content": "1"}])", "c")); },
      ErrorKind::Usage, "a chat needs a vocabulary");
}

}  // namespace
}  // namespace maxstate
