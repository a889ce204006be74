#pragma once
// The golden data of tests/reference/make_jieba_golden.py (python3-jieba, fortunes-zh). Missing data is a
// skip (exit 77: ctest reports it), never a pass.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

namespace maxstate::test {

inline std::string jiebaGoldenPath(const std::string& file) {
  return std::string(MAXSTATE_GOLDEN_DIR) + "/jieba/" + file;
}

inline nlohmann::json jiebaGolden(const std::string& file) {
  const std::string path = jiebaGoldenPath(file);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "SKIPPED: no golden data " << path
              << ": run through ctest (reference.jieba_golden needs python3-jieba and fortunes-zh)\n";
    std::exit(77);
  }
  return nlohmann::json::parse(in);
}

}  // namespace maxstate::test
