// Vocabularies (SPEC.md section 4) on the tiny files in tests/data/vocab (ids listed in the comments below).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>

#include "golden.h"
#include "maxstate/error.h"
#include "maxstate/vocabulary.h"

namespace maxstate {
namespace {

// tiny_openash.json: 0..10 OpenASH specials (<|unk|> = 10); 11 a, 12 b, 13 c, 14 ab, 15 abc, 16 " ", 17 "\n",
// 18 中, 19 é, 20 "  ", 21 <|endoftext|>, 22 ts, 23 x, 24 t, 25 s, 26 0; proxy ids 27 ts0, 28 ts1, 29 te0,
// 30 te1, 31 rs0, 32 rc0, 33 rc1, 34 re0, 35 re1. Proxy keys: 0t0 😀, 0t1 Ω, 1t0 ß, 1t1 tab, 0t0r0 龘,
// 0t1r1 U+3000, 0t1r0 é (also a token: the token wins).
const std::string kDataDir = std::string(MAXSTATE_SOURCE_DIR) + "/tests/data/vocab/";

Vocabulary tiny() { return Vocabulary::load(kDataDir + "tiny_openash.json"); }

using Ids = std::vector<int64_t>;

// The message of the Error `f` throws, checking its kind.
template <class F>
std::string errorOf(F&& f, ErrorKind kind) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error thrown";
  return {};
}

TEST(Vocabulary, LoadsOpenAshFiles) {
  const Vocabulary v = tiny();
  EXPECT_EQ(v.format(), VocabularyFormat::OpenAsh);
  EXPECT_EQ(v.size(), 36);
  EXPECT_EQ(v.unknownId(), 10);
  EXPECT_EQ(v.proxyCharacterCount(), 7);
  EXPECT_EQ(v.find("<|im_start|>"), 1);
  EXPECT_EQ(v.find("te1"), 30);
  EXPECT_EQ(v.find("nope"), std::nullopt);
  EXPECT_EQ(v.token(18), "中");
  EXPECT_EQ(v.token(36), std::nullopt);
  EXPECT_EQ(v.source(), kDataDir + "tiny_openash.json");
}

TEST(Vocabulary, EncodesByGreedyLongestMatch) {
  const Vocabulary v = tiny();
  EXPECT_EQ(v.encode("abcab"), (Ids{15, 14}));
  EXPECT_EQ(v.encode("abab c"), (Ids{14, 14, 16, 13}));
  EXPECT_EQ(v.encode("   "), (Ids{20, 16}));
  // Specials are matched where they are written; "<|im_" alone is not a token.
  EXPECT_EQ(v.encode("<|im_start|>a\n"), (Ids{1, 11, 17}));
  EXPECT_EQ(v.encode("<|endoftext|>"), (Ids{21}));
  EXPECT_EQ(v.encode(""), Ids{});
}

TEST(Vocabulary, ProxyIdsAreNeverMatchedAsText) {
  // "ts0" is in token_to_id, but only as a proxy id: the text "ts0" is the tokens ts and 0.
  EXPECT_EQ(tiny().encode("ts0"), (Ids{22, 26}));
}

TEST(Vocabulary, RareCharactersBecomeProxyGroups) {
  const Vocabulary v = tiny();
  EXPECT_EQ(v.encode("😀"), (Ids{27, 29}));
  EXPECT_EQ(v.encode("Ωß\t"), (Ids{27, 30, 28, 29, 28, 30}));
  EXPECT_EQ(v.encode("龘"), (Ids{31, 32, 34}));
  EXPECT_EQ(v.encode("a\u3000b"), (Ids{11, 31, 33, 35, 12}));
  // A character that is a token and also has a proxy key is the token.
  EXPECT_EQ(v.encode("é"), (Ids{19}));
}

TEST(Vocabulary, UnmatchedCharactersBecomeUnknownOneByOne) {
  const Vocabulary v = tiny();
  EXPECT_EQ(v.encode("abd"), (Ids{14, 10}));
  EXPECT_EQ(v.encode("zz中"), (Ids{10, 10, 18}));
  EXPECT_EQ(v.encode("\u00E8\U0001F600"), (Ids{10, 27, 29}));  // è: 2 bytes, one unknown
  EXPECT_EQ(v.decode(v.encode("qa")), "<|unk|>a");
}

TEST(Vocabulary, RoundTripsTextWithTwoAndThreeIdGroups) {
  const Vocabulary v = tiny();
  for (const std::string text :
       {"abc ab\n中😀é", "龘龘😀Ω", "ß\tß", "<|im_start|>abc\u3000<|im_end|>", "  \n  ts0", "", "😀"}) {
    EXPECT_EQ(v.decode(v.encode(text)), text) << text;
  }
}

TEST(Vocabulary, DecodesIdsBackToText) {
  const Vocabulary v = tiny();
  EXPECT_EQ(v.decode({15, 16, 31, 32, 34, 27, 30, 1}), "abc 龘Ω<|im_start|>");
  // A proxy id outside a complete group with a known key, and an id the vocabulary lacks, are U+FFFD each.
  EXPECT_EQ(v.decode({27, 11}), "\uFFFDa");
  EXPECT_EQ(v.decode({29, 27}), "\uFFFD\uFFFD");
  EXPECT_EQ(v.decode({31, 32, 35}), "\uFFFD\uFFFD\uFFFD");  // 0t0r1 has no character
  EXPECT_EQ(v.decode({31, 32}), "\uFFFD\uFFFD");            // cut short
  EXPECT_EQ(v.decode({11, 999, -1}), "a\uFFFD\uFFFD");
}

TEST(Vocabulary, LabelsEveryPosition) {
  const Vocabulary v = tiny();
  const Ids ids = v.encode("<|user|>ab c\n😀龘  \t");
  EXPECT_EQ(ids, (Ids{5, 14, 16, 13, 17, 27, 29, 31, 32, 34, 20, 28, 30}));
  EXPECT_EQ(v.labels(ids), (std::vector<std::string>{"<|user|>", "ab", "␣", "c", "↵", "😀", "↳", "龘", "↳",
                                                     "↳", "␣␣", "⇥", "↳"}));
  const std::vector<TokenInfo> info = v.describe(ids);
  ASSERT_EQ(info.size(), ids.size());
  EXPECT_EQ(info[0].kind, TokenKind::Special);
  EXPECT_EQ(info[1].kind, TokenKind::Text);
  EXPECT_EQ(info[5].kind, TokenKind::ProxyStart);
  EXPECT_EQ(info[5].text, "😀");
  EXPECT_EQ(info[6].kind, TokenKind::ProxyContinue);
  EXPECT_EQ(info[6].text, "");
  for (int p : {5, 6}) {
    EXPECT_EQ(info[p].groupStart, 5);
    EXPECT_EQ(info[p].groupSize, 2);
  }
  for (int p : {7, 8, 9}) {
    EXPECT_EQ(info[p].groupStart, 7);
    EXPECT_EQ(info[p].groupSize, 3);
  }
  EXPECT_EQ(info[9].kind, TokenKind::ProxyContinue);
  EXPECT_EQ(info[10].groupStart, 10);
  EXPECT_EQ(info[10].groupSize, 1);
  for (size_t p = 0; p < ids.size(); ++p) EXPECT_EQ(info[p].id, ids[p]);
}

TEST(Vocabulary, LabelsBrokenGroupsUnknownIdsAndInvisibleCharacters) {
  const Vocabulary v = tiny();
  const std::vector<TokenInfo> info = v.describe({27, 11, 29, 999, 31, 33, 35, 21, 31, 32});
  EXPECT_EQ(info[0].kind, TokenKind::ProxyBroken);
  EXPECT_EQ(info[0].label, "ts0");
  EXPECT_EQ(info[2].kind, TokenKind::ProxyBroken);
  EXPECT_EQ(info[2].label, "te0");
  EXPECT_EQ(info[3].kind, TokenKind::Unknown);
  EXPECT_EQ(info[3].label, "\uFFFD999");
  EXPECT_EQ(info[4].kind, TokenKind::ProxyStart);
  EXPECT_EQ(info[4].label, "<U+3000>");             // an ideographic space would be invisible
  EXPECT_EQ(info[7].kind, TokenKind::Special);      // <|...|> is special wherever it sits
  EXPECT_EQ(info[8].kind, TokenKind::ProxyBroken);  // rs0 rc0 at the end: no re
  EXPECT_EQ(info[9].kind, TokenKind::ProxyBroken);
  EXPECT_EQ(info[9].label, "rc0");
}

TEST(Vocabulary, LabelsSingleTokensOutOfContext) {
  const Vocabulary v = tiny();
  EXPECT_EQ(v.tokenLabel(0), "<|pad|>");
  EXPECT_EQ(v.tokenLabel(16), "␣");
  EXPECT_EQ(v.tokenLabel(17), "↵");
  EXPECT_EQ(v.tokenLabel(27), "ts0");
  EXPECT_EQ(v.tokenLabel(36), "\uFFFD36");
}

TEST(Vocabulary, RefusesTextThatIsNotUtf8) {
  const Vocabulary v = tiny();
  for (const std::string bad : {std::string("a\xff"), std::string("\xc3"), std::string("\xc0\xaf"),
                                std::string("\xed\xa0\x80"), std::string("\xf4\x90\x80\x80")}) {
    const std::string msg = errorOf([&] { v.encode(bad); }, ErrorKind::Usage);
    EXPECT_NE(msg.find("not valid UTF-8"), std::string::npos) << msg;
  }
}

TEST(Vocabulary, VisibleTextShowsWhitespaceAndControls) {
  EXPECT_EQ(visibleText(" a\tb\r\n"), "␣a⇥b␍↵");
  EXPECT_EQ(visibleText(std::string("\x01\x7f", 2)), "␁␡");
  EXPECT_EQ(visibleText("\u00A0\u200B\uFEFF"), "<U+00A0><U+200B><U+FEFF>");
  EXPECT_EQ(visibleText(""), "∅");
  EXPECT_EQ(visibleText("é中😀"), "é中😀");
}

TEST(PlainVocabulary, LoadsAListOfTokens) {
  const Vocabulary v = Vocabulary::load(kDataDir + "tiny_chars.json");
  EXPECT_EQ(v.format(), VocabularyFormat::Plain);
  EXPECT_EQ(v.size(), 9);
  EXPECT_EQ(v.unknownId(), 1);
  EXPECT_EQ(v.proxyCharacterCount(), 0);
  EXPECT_EQ(v.encode("hello\nholla"), (Ids{2, 3, 7, 5, 8, 2, 5, 7, 1}));
  EXPECT_EQ(v.decode({2, 3, 7, 5, 6}), "hello ");
  EXPECT_EQ(v.labels({2, 6, 8, 0}), (std::vector<std::string>{"h", "␣", "↵", "<|pad|>"}));
  EXPECT_EQ(v.describe({1})[0].kind, TokenKind::Special);
}

TEST(PlainVocabulary, LoadsTokenToIdWithoutProxies) {
  const Vocabulary v =
      Vocabulary::fromJson(R"({"token_to_id": {"<unk>": 0, "x": 1, "y": 3, "ts0": 4}})", "mem.json");
  EXPECT_EQ(v.format(), VocabularyFormat::Plain);
  EXPECT_EQ(v.size(), 5);  // ids may leave gaps
  EXPECT_EQ(v.unknownId(), 0);
  EXPECT_EQ(v.encode("xyts0"), (Ids{1, 3, 4}));  // without agent maps, "ts0" is an ordinary token
  EXPECT_EQ(v.describe({2})[0].kind, TokenKind::Unknown);
}

TEST(PlainVocabulary, LoadsABareTokenToIdObject) {
  const Vocabulary v = Vocabulary::fromJson(R"({"[UNK]": 0, "he": 1, "h": 2, "e": 3, "y": 4})", "vocab.json");
  EXPECT_EQ(v.format(), VocabularyFormat::Plain);
  EXPECT_EQ(v.unknownId(), 0);
  EXPECT_EQ(v.encode("hey!"), (Ids{1, 4, 0}));
  EXPECT_EQ(v.decode({2, 3, 4}), "hey");
}

TEST(PlainVocabulary, WithoutUnknownTokenAnUnmatchedCharacterIsAnError) {
  const Vocabulary v = Vocabulary::fromJson(R"(["a", "b"])", "ab.json");
  EXPECT_EQ(v.encode("abba"), (Ids{0, 1, 1, 0}));
  const std::string msg = errorOf([&] { v.encode("abé"); }, ErrorKind::Usage);
  EXPECT_NE(msg.find("é (U+00E9, character 2 of the text) is not in vocabulary ab.json"), std::string::npos)
      << msg;
  const Vocabulary words = Vocabulary::fromJson(R"(["ab", "é"])", "w.json");
  const std::string at4 =
      errorOf([&] { words.encode("éabé\n"); }, ErrorKind::Usage);  // counted in characters
  EXPECT_NE(at4.find("↵ (U+000A, character 4 of the text)"), std::string::npos) << at4;
}

TEST(RawIds, LabelsAreTheIds) {
  const Vocabulary v = Vocabulary::rawIds();
  EXPECT_EQ(v.format(), VocabularyFormat::RawIds);
  EXPECT_EQ(v.size(), 0);
  EXPECT_EQ(v.encode("5, 17 3"), (Ids{5, 17, 3}));
  EXPECT_EQ(v.decode({5, 17, 3}), "5 17 3");
  EXPECT_EQ(v.labels({5, 0}), (std::vector<std::string>{"5", "0"}));
  EXPECT_EQ(v.describe({7})[0].kind, TokenKind::Raw);
  EXPECT_EQ(v.tokenLabel(42), "42");
  EXPECT_NO_THROW(v.checkFitsModel(1));
}

TEST(RawIds, ParsesIdLists) {
  EXPECT_EQ(parseIdList("1,2,3"), (Ids{1, 2, 3}));
  EXPECT_EQ(parseIdList(" [1, 2,\n3] "), (Ids{1, 2, 3}));
  EXPECT_EQ(parseIdList("0 9223372036854775807"), (Ids{0, INT64_MAX}));
  EXPECT_EQ(parseIdList("  "), Ids{});
  EXPECT_NE(errorOf([] { parseIdList("1,x,3"); }, ErrorKind::Usage).find("\"x\" (item 2) is not a token id"),
            std::string::npos);
  EXPECT_NE(errorOf([] { parseIdList("1,-2"); }, ErrorKind::Usage).find("negative"), std::string::npos);
  EXPECT_NE(errorOf([] { parseIdList("1,,2"); }, ErrorKind::Usage).find("empty item"), std::string::npos);
  EXPECT_NE(errorOf([] { parseIdList("1,2,"); }, ErrorKind::Usage).find("ends with a comma"),
            std::string::npos);
  EXPECT_NE(errorOf([] { parseIdList("99999999999999999999"); }, ErrorKind::Usage).find("too large"),
            std::string::npos);
  EXPECT_NE(errorOf([] { parseIdList("1.5"); }, ErrorKind::Usage).find("not a token id"), std::string::npos);
}

TEST(Vocabulary, ChecksItFitsTheModel) {
  const Vocabulary v = tiny();
  EXPECT_NO_THROW(v.checkFitsModel(36));
  EXPECT_NO_THROW(v.checkFitsModel(100));
  const std::string msg = errorOf([&] { v.checkFitsModel(20); }, ErrorKind::Usage);
  EXPECT_NE(msg.find("has 36 ids but the model embeds only 20"), std::string::npos) << msg;
}

// Each malformed file gets an error that says what is wrong.
TEST(Vocabulary, MalformedFilesGetClearErrors) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{\"token_to_id\": ", "is not valid JSON: parse error"},
      {"42", "expected a JSON list of tokens, or an object with \"token_to_id\""},
      {R"({"voc": [], "size": 3})", "found an object with keys \"size\", \"voc\""},
      {R"({})", "found an empty object"},
      {R"({"a": 0, "b": "1"})", "found an object with keys \"a\", \"b\""},
      {"[]", "it has no tokens"},
      {R"(["a", 1])", "entry 1 of the token list is the number 1, not a token string"},
      {R"(["a", "b", "a"])", "token \"a\" appears twice (ids 0 and 2)"},
      {R"({"token_to_id": ["a"]})", "\"token_to_id\" must be an object"},
      {R"({"token_to_id": {"a": "1"}})", "token_to_id[\"a\"] is the string \"1\", not an integer id"},
      {R"({"token_to_id": {"a": 1.5}})", "token_to_id[\"a\"] is the number 1.5, not an integer id"},
      {R"({"token_to_id": {"a": -1}})", "token_to_id[\"a\"] is -1: ids must be between 0 and 16777215"},
      {R"({"token_to_id": {"a": 99999999999}})", "is 99999999999: ids must be between"},
      {R"({"token_to_id": {"a": 0, "b": 0}})", "both have id 0"},
      {R"({"token_to_id": {"a": 0}, "id_to_token": {"0": "b"}})",
       "id_to_token[\"0\"] is \"b\", which token_to_id does not have"},
      {R"({"token_to_id": {"a": 0, "b": 1}, "id_to_token": {"0": "b", "1": "a"}})",
       "id_to_token[\"0\"] is \"b\", but token_to_id[\"b\"] is 1"},
      {R"({"token_to_id": {"a": 0, "b": 1}, "id_to_token": {"0": "a"}})",
       "id_to_token has 1 ids but token_to_id has 2"},
      {R"({"token_to_id": {"a": 0}, "id_to_token": {"00": "a"}})", "the key \"00\", which is not an id"},
      {R"({"token_to_id": {"a": 0, "ts0": 1, "te0": 2}, "agent_token_id_to_token": {"0x0": "é"}})",
       "proxy key \"0x0\" (for \"é\") is neither"},
      {R"({"token_to_id": {"a": 0, "ts0": 1, "te0": 2}, "agent_token_id_to_token": {"0t1": "é"}})",
       "is written as ts0 te1, but token_to_id has no te1"},
      {R"({"token_to_id": {"a": 0, "ts0": 1, "te0": 2}, "agent_token_id_to_token": {"0t0r0": "é"}})",
       "is written as rs0 rc0 re0, but token_to_id has no rs0"},
      {R"({"token_to_id": {"te0": 0, "ts0": 1}, "agent_token_id_to_token": {"0t0": "é"}})",
       "needs te0 as a proxy id, but its id 0 comes before ts0/rs0"},
      {R"({"token_to_id": {"a": 0, "ts0": 1, "te0": 2}, "agent_token_id_to_token": {"0t0": 5}})",
       "agent_token_id_to_token[\"0t0\"] is the number 5, not a character"},
      {R"({"token_to_id": {"a": 0, "ts0": 1, "te0": 2}, "agent_token_id_to_token": {"0t0": "é"},
          "agent_token_to_token_id": {"è": "0t0"}})",
       "proxy key \"0t0\" stands for both \"é\" and \"è\""},
      {R"({"token_to_id": {"a": 0, "ts0": 1, "te0": 2}, "agent_token_id_to_token": {"0t0": "é"},
          "agent_token_to_token_id": {"é": "0t1"}})",
       "maps \"é\" to the key \"0t1\", which agent_token_id_to_token does not have"},
      {R"({"token_to_id": {"a": 0, "ts0": 1, "ts1": 2, "te0": 3}, "agent_token_to_token_id": {"é": "0t0", "è": "1t0"},
          "agent_token_id_to_token": {"0t0": "é"}})",
       "maps \"è\" to the key \"1t0\", which agent_token_id_to_token does not have"},
      {R"({"token_to_id": {"a": 0, "ts0": 1, "ts1": 2, "te0": 3}, "agent_token_id_to_token": {"0t0": "é", "1t0": "é"}})",
       "character \"é\" has two proxy keys, \"0t0\" and \"1t0\""},
  };
  for (const auto& [json, expected] : cases) {
    const std::string msg = errorOf([&] { Vocabulary::fromJson(json, "bad.json"); }, ErrorKind::BadFile);
    EXPECT_NE(msg.find("vocabulary bad.json"), std::string::npos) << msg;
    EXPECT_NE(msg.find(expected), std::string::npos) << "for " << json << "\n  got: " << msg;
  }
}

TEST(Vocabulary, RefusesMissingFilesFoldersAndBrokenUtf8) {
  EXPECT_NE(
      errorOf([] { Vocabulary::load(kDataDir + "nope.json"); }, ErrorKind::BadFile).find("no such file"),
      std::string::npos);
  EXPECT_NE(errorOf([] { Vocabulary::load(kDataDir); }, ErrorKind::BadFile).find("not a regular file"),
            std::string::npos);
  const std::string path =
      (std::filesystem::temp_directory_path() / "maxstate_test_vocab_latin1.json").string();
  std::ofstream(path, std::ios::binary) << "[\"a\", \"\xe9\"]";
  EXPECT_NE(errorOf([&] { Vocabulary::load(path); }, ErrorKind::BadFile).find("is not valid JSON"),
            std::string::npos);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << "";
  EXPECT_NE(errorOf([&] { Vocabulary::load(path); }, ErrorKind::BadFile).find("is not valid JSON"),
            std::string::npos);
}

TEST(Vocabulary, CopiesShareTheLoadedData) {
  const Vocabulary a = tiny();
  const Vocabulary b = a;  // cheap, immutable
  EXPECT_EQ(a.encode("abc😀"), b.encode("abc😀"));
  const Vocabulary raw;
  EXPECT_EQ(raw.format(), VocabularyFormat::RawIds);
}

// The same texts through the Python reference tokeniser (tests/reference/make_vocab_golden.py): the whole
// GPL-3 text the demo models learnt from, the demo text, and texts full of proxied, unknown and special
// characters.
TEST(VocabularyGolden, EncodesAsTheReferenceTokeniser) {
  const std::string path = test::goldenDir("vocab") + "/cases.json";
  ASSERT_TRUE(std::filesystem::exists(path)) << path << " is missing: run the tests with ctest";
  const nlohmann::json cases = test::readJson(path);
  ASSERT_GE(cases.size(), 10u);
  std::map<std::string, Vocabulary> vocabularies;
  int groups = 0;
  for (const auto& c : cases) {
    const std::string file = c["vocabulary"];
    auto it = vocabularies.find(file);
    if (it == vocabularies.end())
      it = vocabularies.emplace(file, Vocabulary::load(std::string(MAXSTATE_SOURCE_DIR) + "/" + file)).first;
    const Vocabulary& v = it->second;
    const std::string text = c["text"];
    const Ids expected = c["ids"];
    EXPECT_EQ(v.encode(text), expected) << file << ": " << text.substr(0, 80);
    if (std::find(expected.begin(), expected.end(), v.unknownId()) == expected.end()) {
      const std::string decoded = v.decode(expected);
      const auto [at, _] = std::mismatch(decoded.begin(), decoded.end(), text.begin(), text.end());
      EXPECT_EQ(decoded.size(), text.size()) << file << ": " << text.substr(0, 80);
      EXPECT_EQ(at, decoded.end()) << file << ": decoding differs at byte " << (at - decoded.begin());
    }
    for (const TokenInfo& t : v.describe(expected)) groups += t.kind == TokenKind::ProxyStart;
  }
  EXPECT_GT(groups, 20);  // the cases do exercise proxy groups
}

}  // namespace
}  // namespace maxstate
