"""The benchmark's checkpoint and its PyTorch baseline.

usage: /usr/bin/python3 make_bench_checkpoint.py write PATH   -- an OpenASH model of the published shape
                                                                  (V=23005, d=768, H=8, L=12) saved as the training
                                                                  scripts do: a plain dict of fp16 tensors (~162 MB)
       /usr/bin/python3 make_bench_checkpoint.py time PATH [N] -- prints the best and the median of N torch.load
                                                                  times, in this already running interpreter
"""
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))
from maxstate_ref import OpenAsh  # noqa: E402


def write(path):
    torch.manual_seed(0)
    with torch.no_grad():
        model = OpenAsh(23005, 768, 8, 12)
        sd = {k: v.half().cpu() for k, v in model.state_dict().items()}
    tmp = path + ".tmp"
    torch.save(sd, tmp)
    os.replace(tmp, path)  # never leave a half-written file behind for the benchmark to time
    print(f"wrote {path}: {sum(v.numel() for v in sd.values())} parameters, {os.path.getsize(path)} bytes")


def time_load(path, repeats):
    torch.load(path)  # warm the page cache, as the C++ side does
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        sd = torch.load(path)
        times.append(time.perf_counter() - start)
        del sd
    times.sort()
    print(f"torch.load seconds: {times[0]:.6f}")
    print(f"torch.load median seconds: {times[len(times) // 2]:.6f}")


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2])
    else:
        time_load(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 5)
