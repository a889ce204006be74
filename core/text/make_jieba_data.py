"""Converts python3-jieba's bundled dictionary and HMM tables into the one binary file the C++ segmenter reads
(core/text/jieba_data.cpp), so that nothing Python runs at run time and loading takes milliseconds.

usage: /usr/bin/python3 make_jieba_data.py OUT_FILE

The numbers are computed here by jieba's own code and Python's own float maths, so the C++ side only adds
them in jieba's order and gets bit-identical route and Viterbi scores:
- the prefix dictionary comes from jieba.Tokenizer.gen_pfdict (every word and every prefix of a word, later
  duplicates win, the total counts every line);
- a word's weight is log(freq) - log(total) exactly as Tokenizer.calc computes it; a prefix that is not a word
  (freq 0) gets log(1) - log(total), which is what `FREQ.get(...) or 1` gives;
- the HMM tables are finalseg's prob_start/prob_trans/prob_emit as the module imports them; missing entries are
  finalseg.MIN_FLOAT, as its `.get(..., MIN_FLOAT)` gives.

Layout (little-endian), checked by the loader:
  char[8] "MSJIEBA1"; u32 0x01020304; u32 nodes; u32 weights; u32 emit_first; u32 emit_count; u32 total_lo;
  u32 total_hi; u32 0 (padding)
  f64 weights[weights]                      weights[0] is a non-word's weight
  f64 start[4], trans[4][4], emit[4][emit_count]   states in finalseg's order B, M, E, S
  {u16 code point, u16 weight index, u32 first child} nodes[nodes + 1]
The prefix trie's nodes are in breadth-first order with each node's children sorted by code point, so a node's
children are the nodes first_child[n] .. first_child[n + 1] - 1; node 0 is the root, the last entry a sentinel.
"""
import math
import os
import struct
import sys
from collections import deque

import jieba
from jieba import finalseg

STATES = "BMES"
EMIT_FIRST, EMIT_LAST = 0x4E00, 0x9FD5  # finalseg's re_han: only these characters ever reach the Viterbi


def prefix_dict():
    path = os.path.join(os.path.dirname(jieba.__file__), jieba.DEFAULT_DICT_NAME)
    with open(path, "rb") as f:
        return jieba.Tokenizer.gen_pfdict(f)


def build_trie(freq):
    children = [{}]  # node -> {code point: child}
    word_freq = [0]
    for word, f in freq.items():
        node = 0
        for ch in word:
            cp = ord(ch)
            assert cp < 0x10000, "a dictionary character outside the BMP: widen the node's code point"
            nxt = children[node].get(cp)
            if nxt is None:
                nxt = len(children)
                children[node][cp] = nxt
                children.append({})
                word_freq.append(0)
            node = nxt
        word_freq[node] = f
    # Renumber breadth-first with sorted children, so that each node's children are contiguous.
    order, first_child, cps = [], [], []
    queue = deque([(0, 0)])
    new_id = {0: 0}
    while queue:
        old, cp = queue.popleft()
        order.append(old)
        cps.append(cp)
        first_child.append(len(new_id))
        for c, child in sorted(children[old].items()):
            new_id[child] = len(new_id)
            queue.append((child, c))
    return cps, first_child, [word_freq[o] for o in order]


def main(out_path):
    freq, total = prefix_dict()
    logtotal = math.log(total)
    cps, first_child, node_freq = build_trie(freq)
    weight_index = {0: 0}
    weights = [math.log(1) - logtotal]
    for f in node_freq:
        if f and f not in weight_index:
            weight_index[f] = len(weights)
            weights.append(math.log(f) - logtotal)
    assert len(weights) < 0x10000, "too many distinct frequencies for a u16 weight index"

    n = len(cps)
    out = bytearray(b"MSJIEBA1")
    out += struct.pack("<8I", 0x01020304, n, len(weights), EMIT_FIRST, EMIT_LAST - EMIT_FIRST + 1,
                       total & 0xFFFFFFFF, total >> 32, 0)
    out += struct.pack(f"<{len(weights)}d", *weights)
    mf = finalseg.MIN_FLOAT
    out += struct.pack("<4d", *[finalseg.start_P[s] for s in STATES])
    out += struct.pack("<16d", *[finalseg.trans_P[a].get(b, mf) for a in STATES for b in STATES])
    for s in STATES:
        emit = finalseg.emit_P[s]
        out += struct.pack(f"<{EMIT_LAST - EMIT_FIRST + 1}d",
                           *[emit.get(chr(c), mf) for c in range(EMIT_FIRST, EMIT_LAST + 1)])
    nodes = bytearray()
    for i in range(n):
        nodes += struct.pack("<HHI", cps[i], weight_index[node_freq[i]], first_child[i])
    nodes += struct.pack("<HHI", 0, 0, n)  # sentinel: the last node's children end at n
    out += nodes
    tmp = out_path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(out)
    os.replace(tmp, out_path)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_jieba_data.py OUT_FILE")
    main(sys.argv[1])
