#pragma once
// jieba's prefix dictionary and HMM tables as the segmenter reads them: the data file that
// make_jieba_data.py writes at build time from python3-jieba (0.42.1), loaded once, lazily, thread-safely.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace maxstate::jieba {

// finalseg's states, in its order 'BMES' (begin, middle, end of a word; single-character word).
enum State : int { B = 0, M = 1, E = 2, S = 3 };
inline constexpr double kMinFloat = -3.14e100;  // finalseg.MIN_FLOAT: the score of what a table lacks

class Data {
 public:
  // Reads and checks a data file; throws Error(BadFile) saying what is wrong and how to get a good one.
  static Data load(const std::string& path);

  // The trie node reached from `node` by code point c, or 0 when there is none (node 0 is the root: the
  // empty prefix). A node exists for every word of the dictionary and every prefix of one.
  uint32_t child(uint32_t node, char32_t c) const;
  // A word with a non-zero frequency: what jieba's `FREQ[frag]` / `FREQ.get(buf)` find true.
  bool isWord(uint32_t node) const { return m_nodes[node].weight != 0; }
  // log(freq) - log(total) as jieba's calc computes it; a non-word gets log(1) - log(total) (`or 1`).
  double weight(uint32_t node) const { return m_weights[m_nodes[node].weight]; }
  double nonWordWeight() const { return m_weights[0]; }

  double start(int s) const { return m_start[s]; }
  double trans(int from, int to) const { return m_trans[from * 4 + to]; }
  double emit(int s, char32_t c) const {
    return c >= m_emitFirst && c - m_emitFirst < m_emitCount ? m_emit[s * m_emitCount + (c - m_emitFirst)]
                                                             : kMinFloat;
  }
  uint64_t total() const { return m_total; }
  size_t nodeCount() const { return m_nodeCount; }

 private:
  struct Node {
    uint16_t cp;
    uint16_t weight;      // index into m_weights; 0 = not a word
    uint32_t firstChild;  // children are firstChild .. next node's firstChild - 1, sorted by code point
  };
  std::shared_ptr<const void> m_file;  // the mapped file: the tables below point into it
  const Node* m_nodes = nullptr;       // breadth-first, m_nodeCount of them and a sentinel
  size_t m_nodeCount = 0;
  std::vector<uint32_t> m_rootChild;  // the root's children by code point (BMP): the one wide node
  const double* m_weights = nullptr;
  double m_start[4] = {};
  double m_trans[16] = {};
  char32_t m_emitFirst = 0;
  uint32_t m_emitCount = 0;
  const double* m_emit = nullptr;
  uint64_t m_total = 0;
};

// The data file the program uses: jieba.dat in the first data folder that has it ($MAXSTATE_DATA_DIR, the
// installed share/maxstate-explorer, the build tree's data/). Throws Error(BadFile) listing where it looked.
std::string dataPath();
// Loaded on first use (from any thread); later calls return the same object. A failed load throws and is
// tried again on the next call.
const Data& data();

}  // namespace maxstate::jieba
