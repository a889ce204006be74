"""Runs `maxstate export` as a user would, with no display, and checks what it writes.

Exported .npy/CSV must equal the core's numbers as `maxstate trace` writes them (which tests/cli/check_trace.py
checks against PyTorch); PNGs have the asked size and are not blank; SVG and PDF parse and carry their text as
text; a failed export leaves an existing file untouched.
usage: check_export.py --maxstate BIN --work DIR
"""
import argparse
import csv
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
from PIL import Image

HEADLESS = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(bin_, *args, expect=0):
    p = subprocess.run([bin_, *args], env=HEADLESS, capture_output=True, text=True, timeout=300)
    check(p.returncode == expect, f"exit {p.returncode} (expected {expect}) for {' '.join(args)}: {p.stderr.strip()}")
    return p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--maxstate", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    work = a.work
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    m = a.maxstate
    text = ["--text", "the quick brown fox"]

    # The reference: what the core computes, as `maxstate trace` writes it.
    run(m, "trace", *text, "--layer", "1", "--out", f"{work}/trace")
    state = np.load(f"{work}/trace/layer1/state.npy")      # [S, H, dh]
    source = np.load(f"{work}/trace/layer1/source.npy")
    terms = np.load(f"{work}/trace/layer1/terms.npy")      # [T, S, H, dh]
    S, H, dh = state.shape

    run(m, "export", *text, "--layer", "1", "--head", "2", "--what", "state", "--format", "npy",
        "--out", f"{work}/state.npy", "--range", "3:12")
    got = np.load(f"{work}/state.npy")
    check(got.dtype == np.float32 and got.shape == (dh, 9), f"state.npy shape {got.shape} {got.dtype}")
    check(np.array_equal(got, state[3:12, 2, :].T), "exported state equals the trace's state")

    run(m, "export", *text, "--layer", "1", "--head", "0", "--what", "source", "--format", "npy", "--out", f"{work}/src.npy")
    got = np.load(f"{work}/src.npy")
    check(got.dtype == np.int64 and np.array_equal(got, source[:, 0, :].T), "exported source equals the trace's")

    run(m, "export", *text, "--layer", "1", "--head", "1", "--what", "terms", "--format", "npy", "--out", f"{work}/terms.npy")
    got = np.load(f"{work}/terms.npy")
    check(np.array_equal(got, terms[:, :, 1, :].transpose(0, 2, 1)), "exported terms equal the trace's")

    run(m, "export", *text, "--layer", "1", "--head", "1", "--what", "T3", "--format", "csv", "--out", f"{work}/t3.csv")
    with open(f"{work}/t3.csv") as f:
        rows = list(csv.reader(f))
    check(rows[0] == ["channel"] + [str(p) for p in range(S)], f"csv header {rows[0][:5]}")
    values = np.array([[np.float32(v) for v in r[1:]] for r in rows[1:]], dtype=np.float32)
    check(np.array_equal(values, terms[2, :, 1, :].T), "csv values equal the trace's T3 exactly")

    # Every head of a layer into a folder.
    run(m, "export", *text, "--layer", "0", "--what", "state", "--format", "npy", "--out", f"{work}/heads")
    check(sorted(os.listdir(f"{work}/heads")) == [f"layer0_head{h}_state.npy" for h in range(H)],
          f"batch files {sorted(os.listdir(f'{work}/heads'))}")

    # Images, with no display at all.
    run(m, "export", *text, "--layer", "1", "--head", "0", "--what", "state", "--format", "png",
        "--out", f"{work}/s.png", "--size", "700x450", "--scale", "2")
    img = Image.open(f"{work}/s.png").convert("RGB")
    check(img.size == (1400, 900), f"png size {img.size}")
    colours = len(set(img.getdata()))
    check(colours > 50, f"png has {colours} colours: blank?")
    # The colour map: diverging by default (its dark blue or dark red ends), viridis when asked (its yellow end).
    def near(img, rgb):
        return any(sum(abs(a - b) for a, b in zip(px, rgb)) < 12 for px in set(img.getdata()))
    run(m, "export", *text, "--layer", "1", "--head", "0", "--what", "state", "--format", "png",
        "--out", f"{work}/v.png", "--colormap", "viridis")
    viridis = Image.open(f"{work}/v.png").convert("RGB")
    check(near(viridis, (253, 231, 37)) and not near(viridis, (103, 0, 31)), "--colormap viridis draws viridis")
    check(near(img, (103, 0, 31)) or near(img, (5, 48, 97)), "the default colour map is diverging")
    run(m, "export", *text, "--layer", "1", "--what", "state", "--format", "png", "--out", f"{work}/x.png",
        "--colormap", "jet", expect=2)
    run(m, "export", *text, "--layer", "1", "--what", "state", "--format", "csv", "--out", f"{work}/x.csv",
        "--colormap", "viridis", expect=2)
    run(m, "export", *text, "--layer", "1", "--head", "0", "--what", "terms", "--format", "svg", "--out", f"{work}/t.svg")
    root = ET.parse(f"{work}/t.svg").getroot()
    texts = [e for e in root.iter() if e.tag.endswith("text")]
    check(len(texts) > 10, f"svg has {len(texts)} text elements")
    run(m, "export", *text, "--layer", "1", "--head", "0", "--what", "source", "--format", "pdf", "--out", f"{work}/s.pdf")
    p = subprocess.run(["pdftotext", f"{work}/s.pdf", "-"], capture_output=True, text=True)
    check(p.returncode == 0 and "source" in p.stdout and "channel" in p.stdout, f"pdf text: {p.stdout[:200]!r}")

    # Failures: clear messages, exit codes, and an existing file left as it was.
    keep = f"{work}/keep.png"
    with open(keep, "w") as f:
        f.write("precious")
    run(m, "export", *text, "--layer", "1", "--head", "0", "--what", "state", "--format", "png", "--out", keep,
        "--range", "5:2", expect=2)
    run(m, "export", *text, "--layer", "9", "--what", "state", "--format", "png", "--out", keep, expect=2)
    run(m, "export", *text, "--layer", "1", "--head", "0", "--what", "T9", "--format", "png", "--out", keep, expect=2)
    run(m, "export", *text, "--layer", "1", "--head", "0", "--what", "state", "--format", "gif", "--out", keep, expect=2)
    run(m, "export", "/nonexistent.pth", *text, "--layer", "0", "--what", "state", "--format", "png", "--out", keep,
        expect=1)
    p = run(m, "export", *text, "--layer", "1", "--head", "0", "--what", "state", "--format", "png",
            "--out", f"{work}/no/such/folder/x.png", expect=1)
    check(p.stderr.count("\n") == 1 and "cannot write" in p.stderr, f"one clear line: {p.stderr!r}")
    with open(keep) as f:
        check(f.read() == "precious", "a failed export left the existing file untouched")
    check(sorted(os.listdir(work)).count("keep.png") == 1 and not any(n.startswith(".keep") for n in os.listdir(work)),
          "no temporary files left behind")

    print(f"{'FAILED' if failures else 'ok'}: {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
