// OpenASH's encoder (SPEC.md 4.1) against tests/reference/openash_encode_ref.py on the jieba corpus, with two
// vocabularies built by OpenASH's rules; and the ordering quirk and the tokeniser choice by hand.
#include <gtest/gtest.h>

#include "jieba_golden.h"
#include "maxstate/error.h"
#include "maxstate/jieba.h"
#include "maxstate/tokenizer.h"

namespace maxstate {
namespace {

using Ids = std::vector<int64_t>;

std::string idsText(const Ids& ids) {
  std::string out;
  for (const int64_t id : ids) out += (out.empty() ? "" : " ") + std::to_string(id);
  return out;
}

TEST(OpenAshEncoder, EqualsTheReferenceOnTheCorpus) {
  const nlohmann::json texts = test::jiebaGolden("segmentation.json").at("texts");
  const nlohmann::json encoding = test::jiebaGolden("encoding.json");
  for (const char* name : {"wide", "narrow"}) {
    const Vocabulary v = Vocabulary::load(test::jiebaGoldenPath(std::string("vocab_") + name + ".json"));
    ASSERT_EQ(v.format(), VocabularyFormat::OpenAsh);
    ASSERT_GT(v.proxyCharacterCount(), 100);
    const auto& expected = encoding.at(name);
    ASSERT_EQ(expected.size(), texts.size());
    size_t differ = 0, held = 0;
    for (size_t i = 0; i < texts.size(); ++i) {
      const std::string& text = texts[i].get_ref<const std::string&>();
      const Ids want = expected[i].get<Ids>();
      const Ids got = tokenize(v, text, Tokenizer::OpenAsh);
      held += got != tokenize(v, text, Tokenizer::Longest);
      if (got != want && differ++ == 0) {
        std::string words;
        for (const auto& w : jiebaCut(text)) words += nlohmann::json(w).dump() + " ";
        ADD_FAILURE() << name << ": text " << i << " " << nlohmann::json(text).dump()
                      << "\n  words: " << words << "\n  reference: " << idsText(want)
                      << "\n  ours:      " << idsText(got);
      }
    }
    EXPECT_EQ(differ, 0u) << name << ": texts that differ, of " << texts.size();
    // The corpus does exercise what tells the encoders apart.
    EXPECT_GT(held, texts.size() / 10) << name;
  }
}

// 0..10 specials; 11 中, 12 人, 13 工, 14 能; proxies 国 = ts0 te0 (15 16), 智 = ts0 te1 (15 17),
// 😀 = rs0 rc0 re0 (18 19 20).
Vocabulary small() {
  return Vocabulary::fromJson(R"({"token_to_id": {"<|pad|>": 0, "<|im_start|>": 1, "<|im_end|>": 2,
    "<|think|>": 3, "<|end_think|>": 4, "<|user|>": 5, "<|agent|>": 6, "<|system|>": 7, "<|func|>": 8,
    "<|args|>": 9, "<|unk|>": 10, "中": 11, "人": 12, "工": 13, "能": 14, "ts0": 15, "te0": 16, "te1": 17,
    "rs0": 18, "rc0": 19, "re0": 20},
    "agent_token_to_token_id": {"国": "0t0", "智": "0t1", "😀": "0t0r0"}})",
                              "small");
}

TEST(OpenAshEncoder, KnownCharactersFirstThenProxiedAndUnknownOnes) {
  const Vocabulary v = small();
  // jieba: 中国 | 人. 中 is a token (out at once), 国 proxied (held to the end of the word).
  EXPECT_EQ(tokenize(v, "中国人", Tokenizer::OpenAsh), (Ids{11, 15, 16, 12}));
  // 人工智能 is one jieba word, not a token: 人 工 能 at once, 智's proxy ids after them.
  EXPECT_EQ(tokenize(v, "人工智能", Tokenizer::OpenAsh), (Ids{12, 13, 14, 15, 17}));
  EXPECT_EQ(tokenize(v, "人工智能", Tokenizer::Longest), (Ids{12, 13, 15, 17, 14}));
  // 美国: 美 is unknown (10, held), then 国's proxy ids.
  EXPECT_EQ(tokenize(v, "美国", Tokenizer::OpenAsh), (Ids{10, 15, 16}));
  EXPECT_EQ(tokenize(v, "😀中", Tokenizer::OpenAsh), (Ids{18, 19, 20, 11}));
  // Proxy pieces typed as text are tokens to OpenASH's lookup; specials are cut into pieces by jieba.
  EXPECT_EQ(tokenize(v, "ts0", Tokenizer::OpenAsh), (Ids{15}));
  EXPECT_EQ(tokenize(v, "<|im_end|>", Tokenizer::OpenAsh), Ids(10, 10));
  EXPECT_EQ(tokenize(v, "", Tokenizer::OpenAsh), Ids{});
}

TEST(OpenAshEncoder, ChoosingTheTokeniser) {
  EXPECT_STREQ(tokenizerName(Tokenizer::OpenAsh), "openash");
  EXPECT_STREQ(tokenizerName(Tokenizer::Longest), "longest");
  EXPECT_EQ(parseTokenizer("openash"), Tokenizer::OpenAsh);
  EXPECT_EQ(parseTokenizer("longest"), Tokenizer::Longest);
  try {
    parseTokenizer("jieba");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Usage);
    EXPECT_NE(std::string(e.what()).find("choose openash"), std::string::npos) << e.what();
  }
  EXPECT_EQ(defaultTokenizer(small()), Tokenizer::OpenAsh);
  const Vocabulary plain = Vocabulary::fromJson(R"(["<|pad|>", "a", "b", "ab"])", "plain");
  EXPECT_EQ(defaultTokenizer(plain), Tokenizer::Longest);
  EXPECT_EQ(tokenize(small(), "人工智能"), tokenize(small(), "人工智能", Tokenizer::OpenAsh));
  EXPECT_EQ(tokenize(plain, "abba"), (Ids{3, 2, 1}));
  EXPECT_EQ(tokenize(Vocabulary::rawIds(), "1, 2 3", Tokenizer::OpenAsh), (Ids{1, 2, 3}));
}

TEST(OpenAshEncoder, ClearErrors) {
  const Vocabulary plain = Vocabulary::fromJson(R"(["<|pad|>", "a", "b", "ab"])", "plain.json");
  // jieba keeps "ab" whole (a token) and "c" is nothing in a vocabulary without <|unk|>.
  EXPECT_EQ(tokenize(plain, "ab", Tokenizer::OpenAsh), (Ids{3}));
  try {
    tokenize(plain, "abc", Tokenizer::OpenAsh);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Usage);
    EXPECT_NE(std::string(e.what()).find("c (U+0063) is not in vocabulary plain.json"), std::string::npos)
        << e.what();
  }
  try {
    tokenize(small(), "\xFF\xFE", Tokenizer::OpenAsh);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Usage);
    EXPECT_NE(std::string(e.what()).find("not valid UTF-8 (byte 0"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace maxstate
