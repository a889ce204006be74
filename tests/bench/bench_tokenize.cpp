// OpenASH's tokeniser on 1 MB of Chinese text: the C++ encoder (jieba's cut + vocabulary lookup) against
// python3-jieba's jieba.lcut alone on the same text (target: C++ no slower), and the dictionary's load time
// (target: at most 0.3 s added to a start). Not a ctest: it prints the figures.
//
//   bench_tokenize [--text FILE] [--vocab FILE]
// Default text: the first 1 MB of Chinese lines of fortunes-zh; default vocabulary: the bundled demo's.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "maxstate/error.h"
#include "maxstate/jieba.h"
#include "maxstate/resources.h"
#include "maxstate/tokenizer.h"

namespace {

double since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw maxstate::Error(maxstate::ErrorKind::BadFile, "cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Lines holding Chinese (a byte 0xE4..0xE9 starts U+4000..U+9FFF) until 1 MB.
std::string chineseMegabyte() {
  std::ifstream in("/usr/share/games/fortunes/chinese.u8", std::ios::binary);
  if (!in)
    throw maxstate::Error(maxstate::ErrorKind::BadFile,
                          "fortunes-zh is not installed: apt-get install fortunes-zh, or pass --text FILE");
  std::string text;
  for (std::string line; text.size() < 1000000 && std::getline(in, line);)
    if (line.find_first_of("\xE4\xE5\xE6\xE7\xE8\xE9") != std::string::npos) text += line + "\n";
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  std::string textPath, vocabPath;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--text")
      textPath = argv[i + 1];
    else if (a == "--vocab")
      vocabPath = argv[i + 1];
  }
  try {
    const std::string text = textPath.empty() ? chineseMegabyte() : readFile(textPath);
    const std::string file =
        (std::filesystem::temp_directory_path() / "maxstate_bench_tokenize.txt").string();
    std::ofstream(file, std::ios::binary) << text;

    auto t = std::chrono::steady_clock::now();
    maxstate::loadJiebaDictionary();
    const double load = since(t);
    const maxstate::Vocabulary vocab =
        maxstate::Vocabulary::load(vocabPath.empty() ? maxstate::demoVocabularyPath() : vocabPath);
    t = std::chrono::steady_clock::now();
    const size_t words = maxstate::jiebaCut(text).size();
    const double cut = since(t);
    t = std::chrono::steady_clock::now();
    const size_t ids = maxstate::tokenize(vocab, text, maxstate::Tokenizer::OpenAsh).size();
    const double encode = since(t);

    std::printf("text: %zu bytes; vocabulary %s\n", text.size(), vocab.source().c_str());
    std::printf("C++   dictionary load %.4f s (%s)\n", load, maxstate::jiebaDataPath().c_str());
    std::printf("C++   jieba cut       %.4f s, %zu words\n", cut, words);
    std::printf("C++   openash encode  %.4f s, %zu ids (cut + lookup)\n", encode, ids);
    const std::string cmd = "/usr/bin/python3 " MAXSTATE_BENCH_DIR "/bench_jieba.py " + file;
    FILE* p = popen(cmd.c_str(), "r");
    double pyLoad = -1, pyCut = -1;
    size_t pyWords = 0;
    if (p) {
      char line[256];
      while (std::fgets(line, sizeof line, p)) {
        std::sscanf(line, "load %lf", &pyLoad);
        std::sscanf(line, "lcut %lf %zu", &pyCut, &pyWords);
      }
      pclose(p);
    }
    std::filesystem::remove(file);
    if (pyCut < 0) {
      std::printf("python3-jieba: did not run (%s)\n", cmd.c_str());
      return 1;
    }
    std::printf("Python dictionary load %.4f s (jieba.initialize)\n", pyLoad);
    std::printf("Python jieba.lcut      %.4f s, %zu words\n", pyCut, pyWords);
    std::printf("encode / lcut: %.3f (target <= 1)%s\n", encode / pyCut,
                words == pyWords ? "" : "  WORD COUNTS DIFFER");
    return words == pyWords ? 0 : 1;
  } catch (const maxstate::Error& e) {
    std::cerr << "bench_tokenize: " << e.what() << "\n";
    return 1;
  }
}
