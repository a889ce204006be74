"""python3-jieba's side of bench_tokenize: loads the dictionary, then times jieba.lcut on a UTF-8 file.

usage: /usr/bin/python3 bench_jieba.py TEXT_FILE
Prints "load SECONDS" and "lcut SECONDS WORDS".
"""
import logging
import sys
import time

import jieba

jieba.setLogLevel(logging.WARNING)
with open(sys.argv[1], encoding="utf-8", newline="") as f:
    text = f.read()
t0 = time.perf_counter()
jieba.initialize()  # from its cache in /tmp when an earlier run wrote one, as in everyday use
t1 = time.perf_counter()
words = jieba.lcut(text)
t2 = time.perf_counter()
print(f"load {t1 - t0:.4f}")
print(f"lcut {t2 - t1:.4f} {len(words)}")
