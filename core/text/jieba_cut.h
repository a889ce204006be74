#pragma once
// jieba.lcut(text) (accurate mode, HMM on) of python3-jieba 0.42.1, on code points as Python's str is: the
// block splitting of Tokenizer.cut, the maximum-probability route of __cut_DAG and finalseg's HMM re-cut.
// Words are [begin, end) code point ranges of the text, in order.
#include <cstdint>
#include <string_view>
#include <vector>

#include "text/jieba_data.h"

namespace maxstate::jieba {

struct Span {
  uint32_t begin;
  uint32_t end;
};
using Spans = std::vector<Span>;

// Tokenizer.cut(text): the whole text.
void cut(const Data& d, std::u32string_view text, Spans& out);
// Tokenizer.__cut_DAG on text[b, e), one block of re_han_default's characters.
void cutBlock(const Data& d, std::u32string_view text, uint32_t b, uint32_t e, Spans& out);
// finalseg.cut on text[b, e): a run of single characters the dictionary route left over.
void cutUnknown(const Data& d, std::u32string_view text, uint32_t b, uint32_t e, Spans& out);

}  // namespace maxstate::jieba
