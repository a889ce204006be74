"""PyTorch side of tests/bench/bench_stats.cpp: the published shape with random weights, plain PyTorch, run over
the tokens in chunks carrying every layer's state (the model's own forward with `states`), as one would
stream a long text through it.

usage: /usr/bin/python3 bench_stats.py --tokens N --chunk C
Prints one JSON line: {"seconds", "peak_rss", "after_model"} (bytes: VmHWM of this process).
"""
import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))
from maxstate_ref import OpenAsh  # noqa: E402

V, D, H, L = 23005, 768, 8, 12


def peak_rss():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return -1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tokens", type=int, required=True)
    ap.add_argument("--chunk", type=int, required=True)
    a = ap.parse_args()
    torch.manual_seed(0)
    model = OpenAsh(V, D, H, L, "openash").eval()
    ids = torch.randint(0, V, (1, a.tokens))
    after_model = peak_rss()
    with torch.no_grad():
        t = time.perf_counter()
        states = None
        for b in range(0, a.tokens, a.chunk):
            logits, states = model(ids[:, b:b + a.chunk], states)
            del logits
        seconds = time.perf_counter() - t
    print(json.dumps({"seconds": seconds, "peak_rss": peak_rss(), "after_model": after_model}), flush=True)


if __name__ == "__main__":
    main()
