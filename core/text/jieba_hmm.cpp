// finalseg: jieba's HMM for runs of characters the dictionary does not cut. Its own two patterns split the
// run: re_han "([\u4E00-\u9FD5]+)" goes to the Viterbi, the rest is split by re_skip
// "([a-zA-Z0-9]+(?:\.\d+)?%?)".
#include <array>
#include <vector>

#include "text/jieba_cut.h"

namespace maxstate::jieba {
namespace {

bool isHan(char32_t c) { return c >= 0x4E00 && c <= 0x9FD5; }
bool isDigit(char32_t c) { return c >= '0' && c <= '9'; }
// \d of a str pattern is any Unicode digit, but a run only holds re_han_default's characters: ASCII digits.
bool isAlnum(char32_t c) { return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// finalseg.PrevStatus ('B': 'ES', 'M': 'MB', 'S': 'SE', 'E': 'BM'), indexed by state B, M, E, S: the states
// each may follow, in the order the max() sees them.
constexpr std::array<std::array<int, 2>, 4> kPrev = {{{E, S}, {M, B}, {B, M}, {S, E}}};
// Python's max() over (score, state) tuples breaks a tie by the larger state *letter*: B < E < M < S.
constexpr std::array<int, 4> kLetterRank = {0, 2, 1, 3};

bool beats(double p, int state, double best, int bestState) {
  return p > best || (p == best && kLetterRank[state] > kLetterRank[bestState]);
}

// finalseg.viterbi + __cut on s[b, e).
void viterbiCut(const Data& d, std::u32string_view s, uint32_t b, uint32_t e, Spans& out) {
  const uint32_t n = e - b;
  std::array<double, 4> v{};
  std::vector<std::array<uint8_t, 4>> from(n);
  for (int y = 0; y < 4; ++y) v[y] = d.start(y) + d.emit(y, s[b]);
  for (uint32_t t = 1; t < n; ++t) {
    std::array<double, 4> nv{};
    for (int y = 0; y < 4; ++y) {
      const double em = d.emit(y, s[b + t]);
      double best = 0;
      int bestState = -1;
      for (const int y0 : kPrev[y]) {
        const double p = v[y0] + d.trans(y0, y) + em;
        if (bestState < 0 || beats(p, y0, best, bestState)) {
          best = p;
          bestState = y0;
        }
      }
      nv[y] = best;
      from[t][y] = static_cast<uint8_t>(bestState);
    }
    v = nv;
  }
  int state = beats(v[S], S, v[E], E) ? S : E;  // max((V[-1][y], y) for y in 'ES')
  std::vector<uint8_t> path(n);
  for (uint32_t t = n; t-- > 0;) {
    path[t] = static_cast<uint8_t>(state);
    state = from[t][state];
  }
  uint32_t begin = 0, nexti = 0;
  for (uint32_t i = 0; i < n; ++i) {
    switch (path[i]) {
      case B:
        begin = i;
        break;
      case E:
        out.push_back({b + begin, b + i + 1});
        nexti = i + 1;
        break;
      case S:
        out.push_back({b + i, b + i + 1});
        nexti = i + 1;
        break;
      default:
        break;
    }
  }
  if (nexti < n) out.push_back({b + nexti, e});
}

// re_skip.split on s[b, e), keeping the non-empty pieces: the matches and what lies between them.
void splitSkip(std::u32string_view s, uint32_t b, uint32_t e, Spans& out) {
  uint32_t k = b;
  while (k < e) {
    uint32_t m = k;
    while (m < e && !isAlnum(s[m])) ++m;
    if (m > k) out.push_back({k, m});
    if (m == e) break;
    uint32_t t = m;
    while (t < e && isAlnum(s[t])) ++t;
    if (t + 1 < e && s[t] == '.' && isDigit(s[t + 1])) {
      t += 2;
      while (t < e && isDigit(s[t])) ++t;
    }
    if (t < e && s[t] == '%') ++t;
    out.push_back({m, t});
    k = t;
  }
}

}  // namespace

void cutUnknown(const Data& d, std::u32string_view s, uint32_t b, uint32_t e, Spans& out) {
  for (uint32_t i = b; i < e;) {
    uint32_t j = i;
    const bool han = isHan(s[i]);
    while (j < e && isHan(s[j]) == han) ++j;
    if (han)
      viterbiCut(d, s, i, j, out);
    else
      splitSkip(s, i, j, out);
    i = j;
  }
}

}  // namespace maxstate::jieba
