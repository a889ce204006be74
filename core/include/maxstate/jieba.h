#pragma once
// jieba's word segmentation, reimplemented: exactly `jieba.lcut(text)` of python3-jieba 0.42.1 (accurate
// mode, HMM on, its bundled dictionary), which OpenASH runs before looking words up in its vocabulary
// (SPEC.md 4.1). The dictionary and HMM tables come from a data file made at build time (jieba.dat, installed
// with the program); it is loaded once, on first use, from any thread.
#include <string>
#include <string_view>
#include <vector>

namespace maxstate {

// The words of a UTF-8 text, in order; concatenated they give the text back. Throws Error(Usage) for text
// that is not UTF-8, Error(BadFile) when the data file is missing or damaged.
std::vector<std::string> jiebaCut(std::string_view utf8);

// Loads the dictionary now rather than on the first cut (e.g. on a worker thread at start). Throws
// Error(BadFile) when the data file is missing or damaged.
void loadJiebaDictionary();
// The data file the segmenter reads (throws Error(BadFile) when there is none).
std::string jiebaDataPath();

}  // namespace maxstate
