"""Runs the real `maxstate stats` binary on small random checkpoints of shapes no other test uses and compares
everything it writes with the PyTorch reference of tests/reference/stats_ref.py.

usage: /usr/bin/python3 check_stats.py --maxstate BIN --work DIR

Models of both variants (fp32 and fp16 with a side file giving heads and train_length), one chunk and several
(--chunk): state norm and max to 2e-4 relative, write rate and source age exactly (against the reference run
with the same chunks, and against the sources `maxstate trace` writes), the NLL to 1e-3 nats; the chunked run
against the one-chunk run; --text-file; a bare layer; meta.json; --plot as PNG, SVG and PDF; usage errors exit 2
and unusable files exit 1 with one line saying why, and neither leaves the folder behind.
Exit code 77 (skip) when torch is not installed.
"""
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "reference"))
from torch_or_skip import np, torch  # noqa: E402
sys.path.insert(0, HERE)
from check_trace import Checker, make_model, save_model, start  # noqa: E402
from maxstate_ref import MaxStateSuper, randomise_alphas  # noqa: E402
import stats_ref  # noqa: E402

PREFIX = "maxstate stats: "
ARRAYS = ["state_norm", "state_max", "write_rate", "source_age"]


class StatsChecker(Checker):
    def run(self, *args, command="stats"):
        p = subprocess.run([self.maxstate, command, *args], capture_output=True, timeout=300)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")

    def stats_ok(self, what, args, out):
        shutil.rmtree(out, ignore_errors=True)
        code, stdout, stderr = self.run(*args, "--out", out)
        ok = self.expect(code == 0, what, f"exit {code}, stderr: {stderr.strip()}")
        self.expect(stderr == "" and stdout.startswith("stats: "), what, f"stdout {stdout!r}, stderr {stderr!r}")
        return ok

    def error(self, what, code, args, needle, with_out=True):
        """Exit `code`, the reason on stderr's first line (usage errors: --help on the second), no folder."""
        out = os.path.join(self.work, "error_" + "".join(ch if ch.isalnum() else "_" for ch in what))
        shutil.rmtree(out, ignore_errors=True)
        got, stdout, stderr = self.run(*args, *(["--out", out] if with_out else []))
        lines = stderr.splitlines()
        self.expect(got == code, what, f"exit {got}, expected {code}; stderr: {stderr.strip()}")
        self.expect(stdout == "", what, f"stdout not empty: {stdout!r}")
        n = 2 if code == 2 else 1
        if self.expect(len(lines) == n and lines[0].startswith(PREFIX), what, f"expected {n} line(s): {stderr!r}"):
            self.expect(needle in lines[0], what, f"{needle!r} not in {lines[0]!r}")
        self.expect(not os.path.exists(out), what, "left the folder behind")
        parent = os.path.dirname(out)
        self.expect(not [f for f in os.listdir(parent) if ".partial-" in f], what, "left a staging folder behind")

    def elementwise(self, got, want, what, rel):
        if not self.expect(got.shape == want.shape and got.dtype == np.float32, what,
                           f"{got.dtype}{list(got.shape)} vs {list(want.shape)}"):
            return
        bad = np.abs(got.astype(np.float64) - want) > rel * np.abs(want.astype(np.float64)) + 1e-30
        self.expect(not bad.any(), what, f"{int(bad.sum())} values beyond {rel} relative, e.g. at "
                    f"{np.argwhere(bad)[:1].tolist()}: {got[bad][:3]} vs {want[bad][:3]}")

    def compare(self, what, out, ref, model):
        """The folder's files and meta.json, and every array against the reference."""
        want = {f"{n}.npy" for n in ARRAYS} | {"meta.json"} | ({"nll.npy"} if model else set())
        got = set(os.listdir(out))
        self.expect(got == want, what, f"files {sorted(got ^ want)} differ from the issue's list")
        with open(os.path.join(out, "meta.json")) as f:
            meta = json.load(f)
        self.expect(set(meta.get("files", {})) == want - {"meta.json"}, what, f"meta.json files {meta.get('files')}")
        for name, desc in meta.get("files", {}).items():
            a = np.load(os.path.join(out, name))
            self.expect(list(a.shape) == desc["shape"] and str(a.dtype) == desc["dtype"] == "float32", what,
                        f"meta.json says {name} is {desc}, the file is {a.dtype}{list(a.shape)}")
        arrays = {n: np.load(os.path.join(out, f"{n}.npy")) for n in ARRAYS + (["nll"] if model else [])}
        self.elementwise(arrays["state_norm"], ref["state_norm"], what + " state_norm", 2e-4)
        self.elementwise(arrays["state_max"], ref["state_max"], what + " state_max", 2e-4)
        for n in ("write_rate", "source_age"):
            self.same(arrays[n], ref[n], f"{what} {n}")
        if model:
            nll = arrays["nll"]
            ok = self.expect(nll.shape == ref["nll"].shape, what, f"nll shape {nll.shape} vs {ref['nll'].shape}")
            if ok:
                diff = float(np.abs(nll.astype(np.float64) - ref["nll"]).max()) if nll.size else 0.0
                self.expect(diff <= 1e-3, what + " nll", f"max |diff| {diff} nats")
        return meta, arrays


def check_models(c, pool):
    # variant, dtype, V, d, H, L, S, chunk: shapes no other test uses
    cases = [("openash", torch.float32, 29, 24, 3, 2, 70, 16), ("seed", torch.float16, 31, 20, 5, 3, 53, 7)]
    for n, (variant, dtype, V, d, H, L, S, chunk) in enumerate(cases):
        name = f"{variant}_{str(dtype).split('.')[-1]}"
        model, g = make_model(variant, V, d, H, L, dtype, 61 + n)
        path = os.path.join(c.work, name + ".pth")
        save_model(model, path, dtype)
        side = {"heads": H} if variant == "seed" else {}
        if variant == "seed":
            side["train_length"] = 40
        if side:
            with open(path + ".json", "w") as f:
                json.dump(side, f)
        ids = torch.randint(0, V, (S,), generator=g).tolist()
        ids_file = os.path.join(c.work, name + "_ids.npy")
        np.save(ids_file, np.array(ids, np.int64))
        runs = {"one chunk": [], f"chunks of {chunk}": ["--chunk", str(chunk)]}
        outs = {k: os.path.join(c.work, f"{name}_{k.replace(' ', '_')}") for k in runs}
        oks = {k: pool.submit(c.stats_ok, f"{name} {k}", [path, "--ids-file", ids_file, *a], outs[k]) for k, a in
               runs.items()}
        trace_out = os.path.join(c.work, name + "_trace")
        shutil.rmtree(trace_out, ignore_errors=True)
        traced = pool.submit(c.run, path, "--ids-file", ids_file, "--out", trace_out, command="trace")
        model.float()
        results = {}
        for k, extra in runs.items():
            if not oks[k].result():
                continue
            ref = stats_ref.model_stats(model, ids, chunk if extra else None)
            meta, results[k] = c.compare(f"{name} {k}", outs[k], ref, True)
            c.expect(meta["length"] == S and meta["layers"] == L and meta["heads"] == H and
                     meta["model"]["path"] == path and meta["model"]["kind"] == "model" and meta["tokens"] == ids,
                     f"{name} {k}", f"meta.json {dict((x, meta.get(x)) for x in ('length', 'layers', 'heads'))}")
            c.expect(meta["chunk"] == (chunk if extra else 8192), f"{name} {k}", f"chunk {meta['chunk']}")
            want_train = (40, f"side file {path}.json") if "train_length" in side else (8192, "default")
            c.expect((meta["train_length"], meta["train_length_from"]) == want_train, f"{name} {k}",
                     f"train length {meta['train_length']} from {meta['train_length_from']}")
            c.expect(results[k]["write_rate"][:, 0].min() == 1.0, f"{name} {k}", "position 0 did not write its state")
            c.expect(results[k]["source_age"].max() > 2, f"{name} {k}", "no old values held: not a test of ages")
        if len(results) == 2:  # the chunked run is the one-chunk run up to the rounding of the projections
            one, more = results["one chunk"], results[f"chunks of {chunk}"]
            for a in ("state_norm", "state_max"):
                c.elementwise(more[a], one[a].astype(np.float64), f"{name} chunked vs one chunk {a}", 1e-5)
            # Sources agree except at ties: a token seen before with the same state gives a layer exactly the same
            # c again, and projections rounded in other chunks may break such a tie either way (the reference
            # agrees with each run exactly, above).
            cs = stats_ref.branch_c(model, ids)
            differ = np.argwhere((more["write_rate"] != one["write_rate"]) | (more["source_age"] != one["source_age"]))
            untied = [tuple(x) for x in differ.tolist() if not stats_ref.tied(cs, *x)]
            c.expect(not untied, f"{name} chunked vs one chunk", f"sources differ without a tie at (l, t, h) {untied[:5]}")
            c.expect(np.abs(more["nll"] - one["nll"]).max() <= 1e-4, f"{name} chunked vs one chunk", "nll")
        code, _, stderr = traced.result()
        if c.expect(code == 0, f"{name} trace", stderr) and "one chunk" in results:
            for l in range(L):  # write rate and source age straight from the sources trace writes
                src = np.load(os.path.join(trace_out, f"layer{l}", "source.npy"))
                write, age = stats_ref.stats_from_sources(src, S)
                c.same(results["one chunk"]["write_rate"][l], write, f"{name} layer {l} write_rate from sources")
                c.same(results["one chunk"]["source_age"][l], age, f"{name} layer {l} source_age from sources")


def check_text_file(c, pool):
    """--text-file: the vocabulary's longest-match ids of the file's UTF-8 text."""
    V, d, H, L = 14, 12, 3, 2
    model, _ = make_model("openash", V, d, H, L, torch.float32, 5)
    path = os.path.join(c.work, "text_model.pth")
    save_model(model, path, torch.float32)
    tokens = ["<|pad|>", "a", "b", "c", "ab", " ", "d", "é", "日"] + [f"t{i}" for i in range(9, V)]
    with open(os.path.join(c.work, "text_model.vocab.json"), "w") as f:
        json.dump(tokens, f)
    text = os.path.join(c.work, "text.txt")
    with open(text, "w", encoding="utf-8") as f:
        f.write("abc dé日ab")
    out = os.path.join(c.work, "text_out")
    if not pool.submit(c.stats_ok, "--text-file", [path, "--text-file", text], out).result():
        return
    ids = [4, 3, 5, 6, 7, 8, 4]
    meta, _ = c.compare("--text-file", out, stats_ref.model_stats(model.float(), ids), True)
    c.expect(meta["tokens"] == ids and meta["input"] == "text-file", "--text-file", f"tokens {meta['tokens']}")
    bad = os.path.join(c.work, "latin1.txt")
    with open(bad, "wb") as f:
        f.write("abc dé".encode("latin-1"))
    c.error("--text-file not UTF-8", 1, [path, "--text-file", bad], "UTF-8")
    c.error("--text-file missing", 1, [path, "--text-file", os.path.join(c.work, "none.txt")], "none.txt")


def check_layer(c, pool):
    d, H, S = 18, 3, 41
    g = torch.Generator().manual_seed(8)
    layer = MaxStateSuper(d, H, "openash")
    with torch.no_grad():
        for p in layer.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * (0.4 if p.dim() else 1))
    randomise_alphas(layer, g)
    path = os.path.join(c.work, "layer.pth")
    torch.save(layer.state_dict(), path)
    x = torch.randn(S, d, generator=g)
    xfile = os.path.join(c.work, "layer_x.npy")
    np.save(xfile, x.numpy())
    for chunk in (None, 6):
        what = f"bare layer, chunk {chunk}"
        out = os.path.join(c.work, f"layer_out_{chunk}")
        if pool.submit(c.stats_ok, what, [path, "--input", xfile] + (["--chunk", str(chunk)] if chunk else []),
                       out).result():
            meta, arrays = c.compare(what, out, stats_ref.layer_stats(layer, x, chunk), False)
            c.expect(arrays["state_norm"].shape == (1, S, H) and meta["model"]["kind"] == "layer", what,
                     f"shape {arrays['state_norm'].shape}")


def check_plots(c, pool):
    """--plot: a valid, non-blank PNG, SVG and PDF with the training length marked; an unwritable plot leaves no
    folder."""
    from PIL import Image
    V, d, H, L, S = 23, 16, 4, 3, 300
    model, g = make_model("openash", V, d, H, L, torch.float32, 77)
    path = os.path.join(c.work, "plot_model.pth")
    save_model(model, path, torch.float32)
    ids = ",".join(str(i) for i in torch.randint(0, V, (S,), generator=g).tolist())
    layer = os.path.join(c.work, "layer.pth")  # from check_layer
    jobs = {}
    for ext in ("png", "svg", "pdf"):
        plot = os.path.join(c.work, f"overview.{ext}")
        jobs[ext] = pool.submit(c.stats_ok, f"--plot {ext}", [path, "--ids", ids, "--plot", plot, "--train-length",
                                                              "120"], os.path.join(c.work, f"plot_{ext}"))
    lplot = os.path.join(c.work, "layer_overview.png")
    jobs["layer"] = pool.submit(c.stats_ok, "--plot of a bare layer",
                                [layer, "--input", os.path.join(c.work, "layer_x.npy"), "--plot", lplot],
                                os.path.join(c.work, "plot_layer"))
    for ext, png in (("png", os.path.join(c.work, "overview.png")), ("layer", lplot)):
        if jobs[ext].result():
            img = Image.open(png).convert("RGB")
            c.expect(img.size == (1400, 900 if ext == "png" else 600), f"--plot {ext}", f"size {img.size}")
            c.expect(len(img.getcolors(1 << 20) or range(1 << 20)) > 50, f"--plot {ext}", "blank image")
            c.expect(any(r > 150 and g_ < 80 and b < 80 for r, g_, b in img.getdata()), f"--plot {ext}",
                     "no red training-length marker")
    if jobs["svg"].result():
        root = ET.parse(os.path.join(c.work, "overview.svg")).getroot()
        text = " ".join("".join(e.itertext()) for e in root.iter() if e.tag.endswith("text"))
        c.expect("training length 120" in text and "layer" in text and "NLL" in text, "--plot svg", text[:300])
    if jobs["pdf"].result():
        pdf = os.path.join(c.work, "overview.pdf")
        with open(pdf, "rb") as f:
            c.expect(f.read(5) == b"%PDF-", "--plot pdf", "not a PDF")
        p = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True)
        c.expect(p.returncode == 0 and "training length 120" in p.stdout and "position" in p.stdout, "--plot pdf",
                 p.stdout[:300])
    c.error("--plot into a missing folder", 1, [path, "--ids", ids, "--plot", os.path.join(c.work, "no", "x.png")],
            "x.png")


def check_errors(c, pool):
    V, d, H, L = 9, 8, 2, 2
    model, _ = make_model("openash", V, d, H, L, torch.float32, 3)
    path = os.path.join(c.work, "err.pth")
    save_model(model, path, torch.float32)
    bad_side = os.path.join(c.work, "err_side.pth")
    save_model(model, bad_side, torch.float32)
    with open(bad_side + ".json", "w") as f:
        json.dump({"train_length": "long"}, f)
    xbad = os.path.join(c.work, "err_x.npy")
    np.save(xbad, np.ones((4, d + 1), np.float32))
    m = [path, "--ids", "1,2,3"]
    cases = [
        ("--plot gif", 2, m + ["--plot", "x.gif"], "x.gif"),
        ("--chunk 0", 2, m + ["--chunk", "0"], "--chunk"),
        ("--chunk x", 2, m + ["--chunk", "x"], "--chunk"),
        ("--train-length -3", 2, m + ["--train-length", "-3"], "--train-length"),
        ("--mode", 2, m + ["--mode", "step"], "--mode"),
        ("unknown option", 2, m + ["--layer", "0"], "--layer"),
        ("two inputs", 2, m + ["--text", "ab"], "one input"),
        ("id outside the vocabulary", 2, [path, "--ids", f"1,{V}"], str(V)),
        ("--input for a model", 2, [path, "--input", xbad], "bare layer"),
        ("missing checkpoint", 1, [os.path.join(c.work, "none.pth"), "--ids", "1"], "none.pth"),
        ("bad train_length in the side file", 1, [bad_side, "--ids", "1,2"], "train_length"),
        ("input of the wrong width", 1, [os.path.join(c.work, "layer.pth"), "--input", xbad], "err_x.npy"),
    ]
    cases.append(("no --out", 2, m, "--out", False))
    cases.append(("--out is a file", 1, m + ["--out", path], "a file of that name exists", False))
    for f in [pool.submit(c.error, *case) for case in cases]:
        f.result()
    code, out, _ = c.run("--help")
    c.expect(code == 0 and "state_norm.npy" in out and "--train-length" in out, "--help", out[:200])


def main():
    c, _ = start(StatsChecker)
    # Each run mostly waits for LibTorch to load: two at a time halves the wall time on two cores.
    with ThreadPoolExecutor(2) as pool:
        check_models(c, pool)
        check_text_file(c, pool)
        check_layer(c, pool)
        check_plots(c, pool)
        check_errors(c, pool)
    c.finish()


if __name__ == "__main__":
    main()
