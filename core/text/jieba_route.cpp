// Tokenizer.__cut_DAG: the maximum-probability route through the dictionary's words, with runs of single
// characters re-cut by the HMM unless they form a dictionary word.
#include <vector>

#include "text/jieba_cut.h"

namespace maxstate::jieba {
namespace {

// Tokenizer.calc: route[idx] = max over the DAG's ends x of (weight(idx..x) + route[x + 1], x), right to
// left. Python compares the tuples, so an equal score goes to the larger x. Each score is the same two IEEE
// additions in the same order as jieba's (the weight is the file's log(freq) - log(total)), hence
// bit-identical.
void bestRoute(const Data& d, std::u32string_view s, uint32_t b, uint32_t e, std::vector<uint32_t>& next) {
  const uint32_t n = e - b;
  std::vector<double> score(n + 1, 0.0);
  next.assign(n, 0);
  for (uint32_t idx = n; idx-- > 0;) {
    double best = 0;
    uint32_t bestEnd = 0;
    bool found = false;
    uint32_t node = 0;
    // get_DAG: the ends of the dictionary words starting here (walking while the prefix is in FREQ).
    for (uint32_t i = idx; i < n; ++i) {
      node = d.child(node, s[b + i]);
      if (node == 0) break;
      if (!d.isWord(node)) continue;
      const double p = d.weight(node) + score[i + 1];
      if (!found || p >= best) {  // ascending ends: >= keeps the larger end on a tie
        best = p;
        bestEnd = i;
      }
      found = true;
    }
    if (!found) {  // the DAG's fallback [k]: one character, weighted as a non-word
      best = d.nonWordWeight() + score[idx + 1];
      bestEnd = idx;
    }
    score[idx] = best;
    next[idx] = bestEnd;
  }
}

bool isDictionaryWord(const Data& d, std::u32string_view s, uint32_t b, uint32_t e) {
  uint32_t node = 0;
  for (uint32_t i = b; i < e && (node = d.child(node, s[i])) != 0; ++i) {
  }
  return node != 0 && d.isWord(node);
}

// The buffered single characters: one is a word; several are re-cut by the HMM unless together they are a
// dictionary word, in which case jieba yields them one by one.
void flush(const Data& d, std::u32string_view s, uint32_t b, uint32_t e, Spans& out) {
  if (e - b == 1) {
    out.push_back({b, e});
  } else if (!isDictionaryWord(d, s, b, e)) {
    cutUnknown(d, s, b, e, out);
  } else {
    for (uint32_t i = b; i < e; ++i) out.push_back({i, i + 1});
  }
}

}  // namespace

void cutBlock(const Data& d, std::u32string_view s, uint32_t b, uint32_t e, Spans& out) {
  std::vector<uint32_t> next;
  bestRoute(d, s, b, e, next);
  uint32_t x = b, buffered = b;  // the buffer is s[buffered, x)
  while (x < e) {
    const uint32_t y = b + next[x - b] + 1;
    if (y - x > 1) {
      if (buffered < x) flush(d, s, buffered, x, out);
      out.push_back({x, y});
      buffered = y;
    }
    x = y;
  }
  if (buffered < e) flush(d, s, buffered, e, out);
}

}  // namespace maxstate::jieba
