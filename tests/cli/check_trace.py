"""Runs the real `maxstate trace` binary and compares every file it writes with the PyTorch reference.

usage: /usr/bin/python3 check_trace.py MODE --maxstate BIN --work DIR

  models   checkpoints of both variants saved by torch (fp32 state dict, fp16 and bf16 plain dicts) traced from
           --ids, --ids-file and --text, in parallel and step mode, all layers and one: each layer's input,
           state, source, terms and output and the logits against PyTorch; meta.json against the files.
  layer    bare layers from --input: a seed layer with --heads (and with a heads side file), an openash layer.
  errors   usage errors exit 2, unusable files and inputs exit 1, each with one line on stderr.

Exit code 77 (skip) when torch is not installed.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "reference"))
from torch_or_skip import np, torch  # noqa: E402
from maxstate_ref import MaxStateSuper, OpenAsh, randomise_alphas  # noqa: E402
from make_model_golden import parallel_trace, randomise, round_through, step_run  # noqa: E402

PREFIX = "maxstate trace: "
TERMS = {"seed": 5, "openash": 6}


class Checker:
    prefix = PREFIX  # how the command's error lines start

    def __init__(self, maxstate, work):
        self.maxstate = maxstate
        self.work = work
        self.failures = []
        self.checks = 0
        self.lock = threading.Lock()  # error checks run two at a time

    def run(self, *args):
        p = subprocess.run([self.maxstate, "trace", *args], capture_output=True, timeout=300)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")

    def expect(self, ok, what, detail=""):
        with self.lock:
            self.checks += 1
            if not ok:
                self.failures.append(f"{what}: {detail}")
        return ok

    def close(self, got, want, what, rel=1e-5):
        """Max |got - want| within rel x the reference's magnitude (the C++ tests' closeRelative)."""
        if not self.expect(got.shape == want.shape, what, f"shape {got.shape} vs {want.shape}"):
            return
        want = want.astype(np.float64)
        scale = max(float(np.abs(want).max()) if want.size else 0.0, 1e-30)
        diff = float(np.abs(got.astype(np.float64) - want).max()) if want.size else 0.0
        self.expect(diff <= rel * scale, what, f"max |diff| {diff} exceeds {rel} x {scale}")

    def finish(self):
        """Prints the failed checks and exits: 1 when any failed."""
        for f in self.failures:
            print("FAIL", f)
        print(f"{self.checks} checks, {len(self.failures)} failures")
        sys.exit(1 if self.failures else 0)

    def same(self, got, want, what):
        ok = got.shape == want.shape and got.dtype == want.dtype and np.array_equal(got, want)
        self.expect(ok, what, f"not identical ({got.dtype}{list(got.shape)} vs {want.dtype}{list(want.shape)})")

    def load(self, path, what, dtype):
        if not self.expect(os.path.isfile(path), what, f"{path} missing"):
            return None
        a = np.load(path)
        self.expect(a.dtype == dtype, what, f"dtype {a.dtype}, expected {dtype}")
        return a

    def trace_ok(self, what, args, out):
        shutil.rmtree(out, ignore_errors=True)
        code, stdout, stderr = self.run(*args, "--out", out)
        ok = self.expect(code == 0, what, f"exit {code}, stderr: {stderr.strip()}")
        self.expect(stderr == "", what, f"stderr not empty: {stderr!r}")
        return ok

    def expect_reason(self, what, code, needle, got, stdout, stderr):
        """Exit `code`, nothing on stdout, and one line on stderr starting with the command's prefix and holding
        `needle` (usage errors, exit 2, add a second line naming --help)."""
        lines = stderr.splitlines()
        self.expect(got == code, what, f"exit {got}, expected {code}; stderr: {stderr.strip()}")
        self.expect(stdout == "", what, f"stdout not empty: {stdout!r}")
        expected_lines = 2 if code == 2 else 1
        if self.expect(len(lines) == expected_lines and lines[0].startswith(self.prefix), what,
                       f"expected {expected_lines} line(s) starting with {self.prefix!r}: {stderr!r}"):
            self.expect(needle in lines[0], what, f"{needle!r} not in {lines[0]!r}")
            if code == 2:
                self.expect("--help" in lines[1], what, f"second line: {lines[1]!r}")

    def expect_error(self, what, code, args, needle="", out=None):
        """Exit `code` with the reason on the first line of stderr (usage errors add one line naming --help)."""
        out = out or os.path.join(self.work, "error_" + "".join(ch if ch.isalnum() else "_" for ch in what))
        shutil.rmtree(out, ignore_errors=True)
        got, stdout, stderr = self.run(*args, "--out", out) if "--out" not in args else self.run(*args)
        self.expect_reason(what, code, needle, got, stdout, stderr)
        self.expect(not os.path.exists(os.path.join(out, "meta.json")), what, "wrote a trace anyway")

    def check_files(self, what, out, layers, model, V=None):
        """Exactly the issue's files, and meta.json's shapes and dtypes are the files' own."""
        want = {"meta.json"} | ({"logits.npy"} if model else set())
        for l in layers:
            want |= {f"layer{l}/{n}.npy" for n in ("input", "state", "source", "terms", "output")}
        got = set()
        for root, _, files in os.walk(out):
            got |= {os.path.relpath(os.path.join(root, f), out) for f in files}
        self.expect(got == want, what, f"files {sorted(got ^ want)} differ from the issue's list")
        with open(os.path.join(out, "meta.json")) as f:
            meta = json.load(f)
        for name, desc in meta.get("files", {}).items():
            a = np.load(os.path.join(out, name))
            self.expect(list(a.shape) == desc["shape"] and str(a.dtype) == desc["dtype"], what,
                        f"meta.json says {name} is {desc}, the file is {a.dtype}{list(a.shape)}")
        self.expect(set(meta.get("files", {})) == want - {"meta.json"}, what, "meta.json does not list every file")
        self.expect(meta.get("traced_layers") == list(layers), what, f"traced_layers {meta.get('traced_layers')}")
        return meta

    def compare_layer(self, what, out, l, ref, exact):
        d = os.path.join(out, f"layer{l}")
        x = self.load(os.path.join(d, "input.npy"), what + " input", np.float32)
        st = self.load(os.path.join(d, "state.npy"), what + " state", np.float32)
        src = self.load(os.path.join(d, "source.npy"), what + " source", np.int64)
        terms = self.load(os.path.join(d, "terms.npy"), what + " terms", np.float32)
        y = self.load(os.path.join(d, "output.npy"), what + " output", np.float32)
        if any(a is None for a in (x, st, src, terms, y)):
            return
        self.close(x, ref["input"].numpy(), what + " input")
        if exact:
            # The state is a selection from the projection: exactly PyTorch's in a parallel run.
            self.same(st, ref["state"].numpy(), what + " state")
            self.same(src, ref["source"].numpy(), what + " source")
        else:
            self.close(st, ref["state"].numpy(), what + " state")
            self.sources_agree_up_to_rounding(st, src, ref["state"].numpy(), ref["source"].numpy(), what)
        self.close(terms, ref["terms"].numpy(), what + " terms")
        self.close(y, ref["output"].numpy(), what + " output")

    def sources_agree_up_to_rounding(self, st, src, ref_st, ref_src, what):
        """Step and parallel projections round differently: a source may differ only where the running maximum
        rose by no more than that rounding between the two candidate positions, in both runs."""
        if src.shape != ref_src.shape:
            return self.expect(False, what + " source", f"shape {src.shape} vs {ref_src.shape}")
        s_idx, h_idx, j_idx = np.nonzero(src != ref_src)
        earlier = np.minimum(src[s_idx, h_idx, j_idx], ref_src[s_idx, h_idx, j_idx])
        self.expect(bool(np.all((earlier >= 0) & (np.maximum(src, ref_src)[s_idx, h_idx, j_idx] <= s_idx))),
                    what + " source", "a source outside 0..position")
        for a in (st, ref_st):
            now, then = a[s_idx, h_idx, j_idx], a[earlier, h_idx, j_idx]
            bad = np.abs(now - then) > 1e-5 * np.maximum(1.0, np.abs(now))
            self.expect(not bad.any(), what + " source", f"{int(bad.sum())} sources differ beyond rounding")


def make_model(variant, vocab, d, heads, layers, dtype, seed):
    g = torch.Generator().manual_seed(seed)
    model = OpenAsh(vocab, d, heads, layers, variant)
    randomise(model, g, d)
    round_through(model, dtype)
    return model, g


def save_model(model, path, dtype):
    if dtype == torch.float32:
        torch.save(model.state_dict(), path)  # an OrderedDict, zip format
    else:
        torch.save({k: v.to(dtype) for k, v in model.state_dict().items()}, path)  # OpenASH's plain dict


def check_models(c):
    cases = [("openash", torch.float32, 37, 16, 4, 3, 29), ("seed", torch.float16, 41, 12, 3, 2, 23),
             ("openash", torch.bfloat16, 33, 20, 5, 2, 19)]
    for n, (variant, dtype, V, d, H, L, S) in enumerate(cases):
        name = f"{variant}_{str(dtype).split('.')[-1]}"
        model, g = make_model(variant, V, d, H, L, dtype, 100 + n)
        path = os.path.join(c.work, name + ".pth")
        save_model(model, path, dtype)
        if variant == "seed":
            with open(path + ".json", "w") as f:
                json.dump({"heads": H}, f)  # a seed model's heads come from its side file
        ids = torch.randint(0, V, (1, S), generator=g)
        ids[0, 0] = 0
        ids[0, -1] = V - 1
        with torch.no_grad():
            per_layer, _, logits = parallel_trace(model, ids)
            step_logits, step_inputs = step_run(model, ids)
        id_list = ids[0].tolist()

        out = os.path.join(c.work, name + "_parallel")
        what = f"{name} parallel --ids"
        if c.trace_ok(what, [path, "--ids", ",".join(map(str, id_list))], out):
            meta = c.check_files(what, out, range(L), True)
            for l in range(L):
                c.compare_layer(f"{what} layer {l}", out, l, per_layer[l], exact=True)
            got = c.load(os.path.join(out, "logits.npy"), what + " logits", np.float32)
            if got is not None:
                c.close(got, logits.numpy(), what + " logits")
            c.expect(meta["tokens"] == id_list, what, f"tokens {meta['tokens']}")
            c.expect(meta["labels"] == [str(i) for i in id_list], what, "labels are not the ids")
            c.expect(meta["length"] == S and meta["mode"] == "parallel", what, "length or mode")
            info = meta["model"]
            c.expect(info["variant"] == variant and info["kind"] == "model" and info["vocab_size"] == V and
                     info["hidden"] == d and info["heads"] == H and info["layers"] == L and
                     info["dtype"] == str(dtype).split(".")[-1] and info["path"] == path and
                     info["parameters"] == sum(p.numel() for p in model.parameters()),
                     what, f"model info {info}")
            c.expect(meta["terms"] == [f"T{i}" for i in range(1, TERMS[variant] + 1)], what, "terms")

        out = os.path.join(c.work, name + "_step")
        what = f"{name} step --ids-file, --layer {L - 1}"
        ids_file = os.path.join(c.work, name + "_ids.npy")
        np.save(ids_file, ids[0].numpy().astype(np.int32))
        if c.trace_ok(what, [path, "--ids-file", ids_file, "--mode", "step", "--layer", str(L - 1)], out):
            meta = c.check_files(what, out, [L - 1], True)
            c.expect(meta["mode"] == "step" and meta["tokens"] == id_list, what, "mode or tokens")
            ref = dict(per_layer[L - 1], input=step_inputs[L - 1])
            c.compare_layer(f"{what} layer {L - 1}", out, L - 1, ref, exact=False)
            got = c.load(os.path.join(out, "logits.npy"), what + " logits", np.float32)
            if got is not None:
                c.close(got, step_logits.numpy(), what + " logits (PyTorch step run)")

    # --text with a plain vocabulary: greedy longest match, labels from the vocabulary.
    variant, V, d, H, L = "openash", 12, 8, 2, 2
    model, _ = make_model(variant, V, d, H, L, torch.float32, 7)
    path = os.path.join(c.work, "text_model.pth")
    save_model(model, path, torch.float32)
    tokens = ["<|pad|>", "a", "b", "c", "ab", " ", "d"]
    vocab = os.path.join(c.work, "vocab.json")
    with open(vocab, "w") as f:
        json.dump(tokens, f)
    text = "abc dab"
    ids = [4, 3, 5, 6, 4]  # ab c ␣ d ab
    out = os.path.join(c.work, "text")
    what = "--text with --vocab"
    if c.trace_ok(what, [path, "--text", text, "--vocab", vocab], out):
        meta = c.check_files(what, out, range(L), True)
        c.expect(meta["tokens"] == ids, what, f"tokens {meta['tokens']}, expected {ids}")
        c.expect(len(meta["labels"]) == len(ids) and meta["labels"][0] == "ab", what, f"labels {meta['labels']}")
        c.expect(meta["vocabulary"]["path"] == vocab and meta["input"] == "text", what, "vocabulary in meta.json")
        with torch.no_grad():
            per_layer, _, logits = parallel_trace(model, torch.tensor([ids]))
        for l in range(L):
            c.compare_layer(f"{what} layer {l}", out, l, per_layer[l], exact=True)
        c.close(np.load(os.path.join(out, "logits.npy")), logits.numpy(), what + " logits")


def check_layer(c):
    g = torch.Generator().manual_seed(11)
    for variant, d, H, S, heads_from in (("seed", 12, 3, 31, "--heads"), ("seed", 8, 4, 17, "side file"),
                                         ("openash", 15, 5, 26, "head_linear")):
        layer = MaxStateSuper(d, H, variant)
        randomise_alphas(layer, g)
        with torch.no_grad():
            layer.combined.weight.copy_(torch.randn(4 * d, d, generator=g) / d ** 0.5)
            if variant == "openash":
                layer.head_linear.weight.copy_(torch.randn(H, 5 * H, generator=g) / (5 * H) ** 0.5)
            x = torch.randn(1, S, d, generator=g)
            out_ref, _ = layer(x)
            state, source, terms = layer.trace(x)
        name = f"layer_{variant}_{heads_from.replace(' ', '_').replace('-', '')}"
        path = os.path.join(c.work, name + ".pth")
        torch.save(layer.state_dict(), path)
        x_file = os.path.join(c.work, name + "_x.npy")
        np.save(x_file, x[0].numpy())
        args = [path, "--input", x_file]
        if heads_from == "--heads":
            args += ["--heads", str(H)]
        elif heads_from == "side file":
            with open(path + ".json", "w") as f:
                json.dump({"heads": H}, f)
        ref = {"input": x[0], "state": state, "source": source, "terms": terms, "output": out_ref[0]}
        for mode in ("parallel", "step"):
            what = f"bare {variant} layer, heads from {heads_from}, {mode}"
            out = os.path.join(c.work, f"{name}_{mode}")
            if not c.trace_ok(what, args + ["--mode", mode], out):
                continue
            meta = c.check_files(what, out, [0], False)
            # Records are recomputed by one parallel run over the stored input: exact in both modes here.
            c.compare_layer(what, out, 0, ref, exact=True)
            c.expect(meta["tokens"] == [] and len(meta["labels"]) == S and meta["model"]["kind"] == "layer" and
                     meta["model"]["vocab_size"] is None and meta["model"]["heads"] == H, what,
                     f"meta.json {meta['model']}, tokens {meta['tokens']}")


def check_errors(c):
    model, _ = make_model("openash", 20, 8, 2, 2, torch.float32, 3)
    path = os.path.join(c.work, "m.pth")
    save_model(model, path, torch.float32)
    layer = MaxStateSuper(8, 2, "seed")
    lpath = os.path.join(c.work, "seed_layer.pth")
    torch.save(layer.state_dict(), lpath)
    x_ok = os.path.join(c.work, "x.npy")
    np.save(x_ok, np.zeros((3, 8), np.float32))
    x_wide = os.path.join(c.work, "x_wide.npy")
    np.save(x_wide, np.zeros((3, 9), np.float32))
    x_nan = os.path.join(c.work, "x_nan.npy")
    np.save(x_nan, np.full((3, 8), np.nan, np.float32))
    float_ids = os.path.join(c.work, "float_ids.npy")
    np.save(float_ids, np.zeros(3, np.float32))
    big_ids = os.path.join(c.work, "big_ids.npy")
    np.save(big_ids, np.array([1, 2, 20], np.int64))
    ids_2d = os.path.join(c.work, "ids_2d.npy")
    np.save(ids_2d, np.zeros((2, 3), np.int64))
    bad_vocab = os.path.join(c.work, "bad_vocab.json")
    with open(bad_vocab, "w") as f:
        f.write("{not json")
    big_vocab = os.path.join(c.work, "big_vocab.json")
    with open(big_vocab, "w") as f:
        json.dump([f"t{i}" for i in range(25)], f)
    a_file = os.path.join(c.work, "a_file")
    with open(a_file, "w") as f:
        f.write("x")

    usage = [
        ("no input", [path], "give one input"),
        ("two inputs", [path, "--ids", "1", "--text", "a"], "give only one input"),
        ("no --out", [path, "--ids", "1", "--out", ""], "--out"),
        ("bad --mode", [path, "--ids", "1", "--mode", "fast"], "--mode expects parallel or step"),
        ("layer out of range", [path, "--ids", "1", "--layer", "2"], "--layer 2 does not exist"),
        ("bad id list", [path, "--ids", "1,x"], "x"),
        ("id outside the vocabulary", [path, "--ids", "3,20"], "token id 20 at position 1"),
        ("unknown option", [path, "--ids", "1", "--colour", "red"], "--colour"),
        ("--input for a model", [path, "--input", x_ok], "--input is for a bare layer"),
        ("ids for a bare layer", [lpath, "--ids", "1", "--heads", "2"], "--input"),
        ("--text without a vocabulary", [path, "--text", "abc"], "--vocab"),
        ("seed layer without heads", [lpath, "--input", x_ok], "--heads"),
        ("heads not dividing d", [lpath, "--input", x_ok, "--heads", "3"], "3"),
        ("two paths", [path, lpath, "--ids", "1"], "PATH"),
        ("vocabulary larger than the model", [path, "--ids", "1", "--vocab", big_vocab], "25"),
    ]
    cases = [(what, 2, args, needle) for what, args, needle in usage]
    unusable = [
        ("missing checkpoint", [os.path.join(c.work, "nope.pth"), "--ids", "1"], "nope.pth"),
        ("not a checkpoint", [x_ok, "--ids", "1"], "x.npy"),
        ("float ids file", [path, "--ids-file", float_ids], "float_ids.npy"),
        ("ids file with an id outside the vocabulary", [path, "--ids-file", big_ids], "big_ids.npy: token id 20"),
        ("2-D ids file", [path, "--ids-file", ids_2d], "ids_2d.npy"),
        ("input of the wrong width", [lpath, "--input", x_wide, "--heads", "2"], "x_wide.npy"),
        ("NaN input", [lpath, "--input", x_nan, "--heads", "2"], "non-finite"),
        ("corrupt vocabulary", [path, "--ids", "1", "--vocab", bad_vocab], "bad_vocab.json"),
        ("output folder is a file", [path, "--ids", "1", "--out", a_file], "a_file"),
    ]
    cases += [(what, 1, args, needle) for what, args, needle in unusable]
    # Each run mostly waits for LibTorch to load: two at a time halves the wall time on two cores.
    with ThreadPoolExecutor(2) as pool:
        for f in [pool.submit(c.expect_error, *case) for case in cases]:
            f.result()

    # --help, and no PATH: the demo model when it is installed, otherwise a usage error that says so.
    code, out, err = c.run("--help")
    c.expect(code == 0 and "--ids-file" in out and "terms.npy" in out, "--help", f"exit {code}: {out[:200]!r}")
    demo_out = os.path.join(c.work, "demo")
    shutil.rmtree(demo_out, ignore_errors=True)
    code, out, err = c.run("--ids", "1,2,3", "--out", demo_out)
    if code == 0:
        c.expect(os.path.isfile(os.path.join(demo_out, "meta.json")), "demo model", "no meta.json")
    else:
        c.expect(code == 2 and "no PATH given" in err, "no PATH without a demo", f"exit {code}: {err.strip()}")


def start(checker_class, ap=None):
    """What every check script does first: parses --maxstate and --work (besides what `ap` has), empties the work
    folder and returns (a checker_class for them, the parsed arguments)."""
    ap = ap or argparse.ArgumentParser()
    ap.add_argument("--maxstate", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    torch.set_grad_enabled(False)
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    return checker_class(a.maxstate, a.work), a


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["models", "layer", "errors"])
    c, a = start(Checker, ap)
    {"models": check_models, "layer": check_layer, "errors": check_errors}[a.mode](c)
    c.finish()


if __name__ == "__main__":
    main()
