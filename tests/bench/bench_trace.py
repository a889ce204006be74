"""PyTorch timings for tests/bench/bench_trace.cpp: the same model shape with random weights, plain PyTorch.

usage: /usr/bin/python3 bench_trace.py --vocab V --dim D --heads H --layers L --tokens S --step-tokens N
Builds the model, prints {"ready": true}, then answers one command per input line with one JSON line, so that the
C++ benchmark can interleave its runs with these on a machine whose load changes:
  parallel   the model's forward over S tokens            -> {"parallel_s": seconds}
  step       N tokens one at a time, states carried        -> {"step_per_token_s": seconds}
"""
import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))
from maxstate_ref import OpenAsh  # noqa: E402


def timed(fn):
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser()
    for name in ("vocab", "dim", "heads", "layers", "tokens", "step-tokens"):
        ap.add_argument("--" + name, type=int, required=True)
    a = ap.parse_args()
    torch.manual_seed(0)
    model = OpenAsh(a.vocab, a.dim, a.heads, a.layers, "openash").eval()
    ids = torch.randint(0, a.vocab, (1, max(a.tokens, a.step_tokens)))

    def parallel():
        model(ids[:, :a.tokens])

    def steps():
        states = None
        for t in range(a.step_tokens):
            _, states = model(ids[:, t:t + 1], states)

    with torch.no_grad():
        model(ids[:, :64])  # warm-up: first-call allocations and BLAS threads
        print(json.dumps({"ready": True, "threads": torch.get_num_threads()}), flush=True)
        for line in sys.stdin:
            command = line.strip()
            if command == "parallel":
                print(json.dumps({"parallel_s": timed(parallel)}), flush=True)
            elif command == "step":
                print(json.dumps({"step_per_token_s": timed(steps) / a.step_tokens}), flush=True)
            elif command == "quit":
                break
            else:
                print(json.dumps({"error": "unknown command " + command}), flush=True)


if __name__ == "__main__":
    main()
