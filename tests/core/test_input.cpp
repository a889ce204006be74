// The one input path (maxstate/input.h): every kind of input becomes the ids the tokenisers give, checked
// against the model's vocabulary size, with messages that name the file or the flag's problem; the vocabulary
// search beside a checkpoint.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "expect_error.h"
#include "maxstate/chat.h"
#include "maxstate/input.h"
#include "maxstate/npy.h"
#include "maxstate/resources.h"

namespace maxstate {
namespace {

namespace fs = std::filesystem;

const std::string kData = MAXSTATE_SOURCE_DIR "/tests/data/vocab/";

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("maxstate_input_" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
  std::string write(const std::string& name, const std::string& content) const {
    std::ofstream(path / name, std::ios::binary) << content;
    return (path / name).string();
  }
};

InputRequest request(InputKind kind, std::string value) {
  InputRequest r;
  r.kind = kind;
  r.value = std::move(value);
  return r;
}

TEST(Input, TextUsesTheVocabularysDefaultTokenizerOrTheOneAsked) {
  const Vocabulary v = Vocabulary::load(kData + "tiny_openash.json");
  const EncodedInput plain = encodeInput(request(InputKind::Text, "abc"), v);
  EXPECT_EQ(plain.ids, tokenize(v, "abc", Tokenizer::OpenAsh));
  EXPECT_EQ(plain.tokenizer, Tokenizer::OpenAsh);
  InputRequest longest = request(InputKind::Text, "abc");
  longest.tokenizer = Tokenizer::Longest;
  EXPECT_EQ(encodeInput(longest, v).ids, v.encode("abc"));
  EXPECT_EQ(encodeInput(longest, v).tokenizer, Tokenizer::Longest);
}

TEST(Input, FilesGiveWhatTheirContentGives) {
  TempDir dir;
  const Vocabulary v = Vocabulary::load(kData + "tiny_openash.json");
  const std::string text = dir.write("t.txt", "ab c\n中");
  EXPECT_EQ(encodeInput(request(InputKind::TextFile, text), v).ids, tokenize(v, "ab c\n中"));
  const std::string ids = dir.write("ids.txt", "[3, 4, 5]\n");
  EXPECT_EQ(encodeInput(request(InputKind::IdsFile, ids), v).ids, (std::vector<int64_t>{3, 4, 5}));
  const std::string npy = (dir.path / "ids.npy").string();
  IndexArray a({3});
  a[0] = 7, a[1] = 0, a[2] = 2;
  writeNpy(npy, a);
  EXPECT_EQ(encodeInput(request(InputKind::IdsFile, npy), v).ids, (std::vector<int64_t>{7, 0, 2}));
  EXPECT_FALSE(encodeInput(request(InputKind::IdsFile, npy), v).tokenizer);
  const std::string chat = R"([{"role": "user", "content": "ab"}])";
  const std::string chatFile = dir.write("c.json", chat);
  const auto viaText = encodeInput(request(InputKind::Chat, chat), v).ids;
  EXPECT_EQ(viaText, encodeInput(request(InputKind::ChatFile, chatFile), v).ids);
  EXPECT_EQ(viaText, encodeChat(v, parseChat(chat, "c")));
}

TEST(Input, IdsAreCheckedOnceAgainstTheModel) {
  const Vocabulary raw = Vocabulary::rawIds();
  EXPECT_EQ(encodeInput(request(InputKind::Ids, "1, 2 3"), raw, 4).ids, (std::vector<int64_t>{1, 2, 3}));
  expectError([&] { encodeInput(request(InputKind::Ids, "1,9"), raw, 4); }, ErrorKind::Usage,
              "token id 9 at position 1 is outside the model's vocabulary (ids 0..3)");
  TempDir dir;
  const std::string ids = dir.write("ids.txt", "1 2 9");
  expectError([&] { encodeInput(request(InputKind::IdsFile, ids), raw, 4); }, ErrorKind::BadFile,
              ids + ": token id 9 at position 2 is outside the model's vocabulary (ids 0..3)");
}

TEST(Input, UnusableInputSaysWhy) {
  const Vocabulary raw = Vocabulary::rawIds();
  expectError(
      [&] { encodeInput(request(InputKind::Text, "abc"), raw); }, ErrorKind::Usage,
      "text needs the model's vocabulary and none was found beside the checkpoint: give the vocabulary "
      "(--vocab FILE) or token ids");
  expectError([&] { encodeInput(request(InputKind::Text, ""), raw); }, ErrorKind::Usage,
              "the input is empty: give some text");
  expectError([&] { encodeInput(request(InputKind::Ids, " "), raw); }, ErrorKind::Usage,
              "the input gave no tokens: give some text or ids");
  TempDir dir;
  const std::string missing = (dir.path / "nope.txt").string();
  const Vocabulary v = Vocabulary::load(kData + "tiny_openash.json");
  expectError([&] { encodeInput(request(InputKind::TextFile, missing), v); }, ErrorKind::BadFile,
              "cannot read text " + missing + ": no such file");
  const std::string latin1 = dir.write("l.txt", "caf\xe9");
  try {
    encodeInput(request(InputKind::TextFile, latin1), v);
    ADD_FAILURE() << "Latin-1 text accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadFile);
    EXPECT_EQ(std::string(e.what()).rfind(latin1 + ": ", 0), 0u) << e.what();
  }
  const std::string words = dir.write("w.txt", "one two");
  try {
    encodeInput(request(InputKind::IdsFile, words), raw);
    ADD_FAILURE() << "words accepted as ids";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadFile);
    EXPECT_NE(std::string(e.what()).find("neither a .npy file nor a text list of ids"), std::string::npos);
  }
}

TEST(Input, TheVocabularyBesideACheckpointIsFoundInOrder) {
  TempDir dir;
  const std::string ckpt = dir.write("pretrain_768_12.pth", "x");
  EXPECT_EQ(findVocabularyFor(ckpt), "");
  EXPECT_FALSE(chooseVocabulary(ckpt, std::nullopt).path);
  const std::string generic = dir.write("vocab.json", R"(["a", "b"])");
  EXPECT_EQ(findVocabularyFor(ckpt), generic);
  const std::string own = dir.write("pretrain_768_12.vocab.json", R"(["a", "b", "c"])");
  EXPECT_EQ(findVocabularyFor(ckpt), own);
  EXPECT_EQ(chooseVocabulary(ckpt, std::nullopt).vocabulary.size(), 3);
  EXPECT_EQ(*chooseVocabulary(ckpt, generic).path, generic);  // --vocab wins
  try {
    chooseVocabulary(ckpt, std::nullopt, 2);  // three tokens, a model of two rows
    ADD_FAILURE() << "a vocabulary larger than the model accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Usage) << e.what();
  }
  EXPECT_EQ(vocabularyCandidates(ckpt),
            (std::vector<std::string>{own, (dir.path / "open_ash_voc_agent.json").string(), generic,
                                      (dir.path / "vocabulary.json").string()}));
}

TEST(Input, TheDemoCheckpointFindsItsManifestsVocabulary) {
  EXPECT_EQ(findVocabularyFor(demoModelPath()), demoVocabularyPath());
}

}  // namespace
}  // namespace maxstate
