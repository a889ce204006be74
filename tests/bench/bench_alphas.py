"""`maxstate alphas` on a folder of published-shape checkpoints (issue 14: 50 of them in at most 3 s).

usage: /usr/bin/python3 tests/bench/bench_alphas.py --maxstate build/app/maxstate [--count 50] [--repeats 3]
                                                    [--dir DIR [--keep] [--reuse]]

Writes COUNT OpenASH models of the published shape (V=23005, d=768, H=8, L=12) as the training scripts save
them -- plain dicts of fp16 tensors, ~162 MB each (~8 GB for 50), each with its own alphas, named
pretrain_768_12_stepN.pth -- into a temporary folder (or DIR), then times `maxstate alphas DIR --json`:
once "cold" (the files' pages dropped from the page cache with posix_fadvise, as after a reboot; only these
files are affected) and REPEATS times warm. Checks that the output lists every file in step order with the
alphas written. Deletes the files afterwards unless --keep; --reuse times the files a --keep run left in DIR
instead of writing them again. Not run by ctest: it writes gigabytes.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))
from maxstate_ref import OpenAsh  # noqa: E402


def alpha_value(i, name):
    """Distinct per checkpoint and per scalar, exact in fp16."""
    return float(torch.tensor((i + 1) / 64 + (sum(name.encode()) % 8) / 8, dtype=torch.float16))


def names_of(count):
    return [f"pretrain_768_12_step{(i + 1) * 100}.pth" for i in range(count)]


def write_checkpoints(folder, count):
    torch.manual_seed(0)
    with torch.no_grad():
        sd = {k: v.half().cpu() for k, v in OpenAsh(23005, 768, 8, 12).state_dict().items()}
    scalars = [k for k, v in sd.items() if v.dim() == 0]
    names = names_of(count)
    start = time.perf_counter()
    for i, name in enumerate(names):
        for k in scalars:
            sd[k] = torch.tensor(alpha_value(i, k), dtype=torch.float16)
        torch.save(sd, os.path.join(folder, name))
    size = sum(os.path.getsize(os.path.join(folder, n)) for n in names)
    print(f"wrote {count} checkpoints, {size / 1e9:.2f} GB, in {time.perf_counter() - start:.0f} s", flush=True)
    return names


def drop_from_cache(folder):
    for name in os.listdir(folder):
        fd = os.open(os.path.join(folder, name), os.O_RDONLY)
        try:
            os.fsync(fd)  # dirty pages cannot be dropped
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def timed_run(maxstate, folder):
    start = time.perf_counter()
    p = subprocess.run([maxstate, "alphas", folder, "--json"], capture_output=True, timeout=600)
    seconds = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit(f"maxstate alphas failed (exit {p.returncode}): {p.stderr.decode(errors='replace')}")
    return seconds, json.loads(p.stdout)


def check(output, folder, names):
    files = [c["file"] for c in output["checkpoints"]]
    if files != [os.path.join(folder, n) for n in names]:
        sys.exit(f"wrong files or order: {files[:3]}...")
    for i, c in enumerate(output["checkpoints"]):
        layer = c["layers"][3]
        want = alpha_value(i, "decoder_layers.3.self_attention_linear.alpha2")
        if c["step"] != (i + 1) * 100 or len(c["layers"]) != 12 or layer["alpha2"] != want:
            sys.exit(f"{c['file']}: step {c['step']}, {len(c['layers'])} layers, alpha2 {layer['alpha2']} != {want}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--maxstate", required=True)
    ap.add_argument("--count", type=int, default=50)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--dir")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--reuse", action="store_true")
    a = ap.parse_args()
    folder = a.dir or tempfile.mkdtemp(prefix="maxstate_bench_alphas_")
    os.makedirs(folder, exist_ok=True)
    try:
        names = names_of(a.count)
        if not (a.reuse and all(os.path.isfile(os.path.join(folder, n)) for n in names)):
            names = write_checkpoints(folder, a.count)
        drop_from_cache(folder)
        cold, output = timed_run(a.maxstate, folder)
        check(output, folder, names)
        warm = sorted(timed_run(a.maxstate, folder)[0] for _ in range(a.repeats))
        print(f"maxstate alphas on {a.count} published-shape fp16 checkpoints: cold {cold:.2f} s, "
              f"warm median {warm[len(warm) // 2]:.2f} s (best {warm[0]:.2f} s, target <= 3 s)")
    finally:
        if not a.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
