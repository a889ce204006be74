// jieba's segmentation reimplemented (core/text/jieba_*.cpp) against python3-jieba's jieba.lcut on the corpus
// of tests/reference/make_jieba_golden.py: fortunes-zh, the seed article and generated mixes. 100% equal.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "jieba_golden.h"
#include "maxstate/error.h"
#include "maxstate/jieba.h"
#include "text/jieba_data.h"

namespace maxstate {
namespace {

std::string visible(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "[" : ", ") + nlohmann::json(w).dump();
  return out + "]";
}

TEST(Jieba, EqualsJiebaLcutOnTheWholeCorpus) {
  const nlohmann::json golden = test::jiebaGolden("segmentation.json");
  const auto& texts = golden.at("texts");
  const auto& words = golden.at("words");
  ASSERT_EQ(texts.size(), words.size());
  ASSERT_GE(texts.size(), 20000u);
  size_t wordCount = 0, differ = 0;
  const auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < texts.size(); ++i) {
    const std::string& text = texts[i].get_ref<const std::string&>();
    const auto expected = words[i].get<std::vector<std::string>>();
    const std::vector<std::string> got = jiebaCut(text);
    wordCount += got.size();
    if (got != expected && differ++ == 0) {
      size_t k = 0;
      while (k < got.size() && k < expected.size() && got[k] == expected[k]) ++k;
      ADD_FAILURE() << "text " << i << " " << nlohmann::json(text).dump() << "\nfirst difference at word "
                    << k << "\n  jieba.lcut: " << visible(expected) << "\n  ours:       " << visible(got);
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(differ, 0u) << "texts that differ, of " << texts.size();
  std::cout << texts.size() << " texts, " << wordCount << " words, cut in " << seconds << " s\n";
}

TEST(Jieba, KnownSentences) {
  using W = std::vector<std::string>;
  EXPECT_EQ(jiebaCut("什么是人工智能？"), (W{"什么", "是", "人工智能", "？"}));
  EXPECT_EQ(jiebaCut("\r\n\r\r\n  \t"), (W{"\r\n", "\r", "\r\n", " ", " ", "\t"}));
  EXPECT_EQ(jiebaCut("C++和node.js 3.14%"), (W{"C++", "和", "node", ".", "js", " ", "3.14%"}));
  EXPECT_EQ(jiebaCut("鿖鿗㐀𠮷野家"), (W{"鿖", "鿗", "㐀", "𠮷", "野家"}));
  EXPECT_TRUE(jiebaCut("").empty());
}

TEST(Jieba, BadUtf8IsAUsageError) {
  try {
    jiebaCut("ab\xE4\xB8");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Usage);
    EXPECT_NE(std::string(e.what()).find("not valid UTF-8 (byte 2"), std::string::npos) << e.what();
  }
}

TEST(Jieba, SameWordsFromManyThreads) {
  const std::string text = "我爱北京天安门，天安门上太阳升。MaxState 2024年 😀";
  const std::vector<std::string> expected = jiebaCut(text);
  std::vector<std::vector<std::string>> got(4);
  std::vector<std::thread> threads;
  for (auto& g : got) threads.emplace_back([&] { g = jiebaCut(text); });
  for (auto& t : threads) t.join();
  for (const auto& g : got) EXPECT_EQ(g, expected);
}

// The data file is read once; a damaged one is refused with a message, never read past its end.
TEST(JiebaData, LoadsQuicklyAndRefusesDamagedFiles) {
  const std::string path = jiebaDataPath();
  const auto start = std::chrono::steady_clock::now();
  const jieba::Data d = jieba::Data::load(path);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "jieba data " << path << ": " << d.nodeCount() << " trie nodes, loaded in " << seconds
            << " s\n";
  EXPECT_EQ(d.total(), 60101967u);  // python3-jieba 0.42.1's dictionary: the sum of its frequencies
  EXPECT_LT(seconds, 0.3);

  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string tmp = std::string(MAXSTATE_BINARY_DIR) + "/tests/core/damaged_jieba.dat";
  for (const auto& [content, message] : std::vector<std::pair<std::string, std::string>>{
           {bytes.substr(0, bytes.size() / 2), "it is truncated"},
           {bytes + "x", "trailing bytes"},
           {"not a jieba file at all, really not", "not a jieba data file"},
       }) {
    std::ofstream(tmp, std::ios::binary) << content;
    try {
      jieba::Data::load(tmp);
      ADD_FAILURE() << "no error for " << message;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::BadFile);
      EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
    }
  }
  std::filesystem::remove(tmp);
}

}  // namespace
}  // namespace maxstate
