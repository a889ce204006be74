"""Runs the real `maxstate diff` binary on small random checkpoints and compares everything it writes with the
PyTorch reference of tests/reference/diff_ref.py.

usage: /usr/bin/python3 check_diff.py --maxstate BIN --work DIR

Checkpoint pairs of shapes no other test uses: an openash model A (float32 zip, one tensor all zeros) against B,
A perturbed by a different amount per tensor and saved as a float16 plain dict; a seed-variant pair (--heads);
a bare-layer pair on --input. For each: every rel_change (null for the all-zero tensor), the alphas, and on an
input the KL per position, top-1 agreement, every layer's state_rel_diff and source_agree, state_diff.npy and
source_same.npy against PyTorch; --layer; no input (parameters and alphas only). Then checkpoints of different
architectures (exit 1, one line naming the first key or shape that differs, nothing written), usage errors
(exit 2), and Ctrl+C during a run (exit 130, the output folder left as it was).
Exit code 77 (skip) when torch is not installed.
"""
import json
import os
import shutil
import signal
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "reference"))
from torch_or_skip import np, torch  # noqa: E402
sys.path.insert(0, HERE)
from check_trace import Checker, make_model, start  # noqa: E402
from maxstate_ref import MaxStateSuper, OpenAsh, randomise_alphas  # noqa: E402
import diff_ref  # noqa: E402

PREFIX = "maxstate diff: "
PROGRESS = "diff: compared layer "


class DiffChecker(Checker):
    prefix = PREFIX

    def run(self, *args):
        p = subprocess.run([self.maxstate, "diff", *args], capture_output=True, timeout=300)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")

    def diff_ok(self, what, args, out):
        shutil.rmtree(out, ignore_errors=True)
        code, stdout, stderr = self.run(*args, "--out", out)
        ok = self.expect(code == 0, what, f"exit {code}, stderr: {stderr.strip()}")
        self.expect(stdout.startswith("diff:") and all(l.startswith(PROGRESS) for l in stderr.splitlines()),
                    what, f"stdout {stdout!r}, stderr {stderr!r}")
        return ok

    def expect_error(self, what, code, args, needle="", out=None):
        """Exit `code`, the reason on the first line of stderr (usage errors add a line naming --help), nothing
        written: a given `out` (an existing folder) is left as it was, another one is not created."""
        fresh = out is None
        out = out or os.path.join(self.work, "error_" + "".join(ch if ch.isalnum() else "_" for ch in what))
        if fresh:
            shutil.rmtree(out, ignore_errors=True)
        got, stdout, stderr = self.run(*args, "--out", out) if "--out" not in args else self.run(*args)
        self.expect_reason(what, code, needle, got, stdout, stderr)
        if fresh:
            self.expect(not os.path.exists(out), what, "wrote files anyway")

    def summary(self, out):
        with open(os.path.join(out, "summary.json")) as f:
            return json.load(f)

    def files(self, out):
        got = set()
        for root, _, files in os.walk(out):
            got |= {os.path.relpath(os.path.join(root, f), out) for f in files}
        return got


def perturbed(sd, seed):
    """B: A moved by a different relative amount per tensor (the all-zero tensor moves too)."""
    g = torch.Generator().manual_seed(seed)
    out = {}
    for n, (k, v) in enumerate(sorted(sd.items())):
        scale = 0.02 * (1 + n % 5) * (float(v.abs().max()) or 1.0)
        out[k] = v + scale * torch.randn(v.shape, generator=g)
    return out


def loaded(module, sd):
    module.load_state_dict({k: v.float() for k, v in sd.items()})
    return module


def check_parameters(c, what, s, sd_a, sd_b):
    want = diff_ref.parameters({k: v.float() for k, v in sd_a.items()}, {k: v.float() for k, v in sd_b.items()})
    got = s.get("parameters", [])
    if not c.expect([p["name"] for p in got] == [w[0] for w in want], what, "parameter names or order"):
        return
    nulls = 0
    for p, (name, shape, rel) in zip(got, want):
        w = f"{what} {name}"
        c.expect(p["shape"] == shape, w, f"shape {p['shape']} vs {shape}")
        if rel is None:
            nulls += 1
            c.expect(p["rel_change"] is None, w, f"rel_change {p['rel_change']}, expected null (A all zeros)")
        elif c.expect(p["rel_change"] is not None, w, "rel_change null"):
            c.expect(abs(p["rel_change"] - rel) <= 1e-9 * rel + 1e-15, w, f"rel_change {p['rel_change']} vs {rel}")
    return nulls


def check_alphas(c, what, s, sd_a, sd_b, layers, variant, model=True):
    got = s.get("alphas", [])
    c.expect(len(got) == layers, what, f"{len(got)} alpha entries for {layers} layers")
    for l, entry in enumerate(got):
        c.expect(entry.get("layer") == l, what, f"alphas entry {l} is layer {entry.get('layer')}")
        for side, sd in (("a", sd_a), ("b", sd_b)):
            pre = f"decoder_layers.{l}." if model else ""
            names = ["alpha1", "alpha2", "alpha3"] + (["alpha4"] if variant == "seed" else [])
            want = {n: float(sd[pre + ("self_attention_linear." if model else "") + n].float()) for n in names}
            if model:
                want["residual_alpha"] = float(sd[pre + "alpha"].float())
            c.expect(entry.get(side) == want, f"{what} layer {l} {side}", f"alphas {entry.get(side)} vs {want}")


def check_run(c, what, out, s, ref, layers, model=True):
    if model:
        kl, ref_kl = s.get("kl") or [], ref["kl"]
        if c.expect(len(kl) == len(ref_kl), what, f"{len(kl)} KL values for {len(ref_kl)} positions"):
            for t, (k, r) in enumerate(zip(kl, ref_kl.tolist())):
                c.expect(abs(k - r) <= 1e-9 * r + 1e-12, f"{what} position {t}", f"kl {k} vs reference {r}")
            c.expect(max(ref_kl.tolist()) > 1e-4, what, "the models agree everywhere: not a test")
        c.expect(s.get("top1_a") == ref["top1_a"].tolist() and s.get("top1_b") == ref["top1_b"].tolist(), what,
                 "top-1 tokens differ from the reference's argmax")
        c.expect(s.get("top1_agree") == ref["top1_agree"], what,
                 f"top1_agree {s.get('top1_agree')} vs {ref['top1_agree']}")
        c.expect(0 < ref["top1_agree"] < 1, what, f"top-1 agreement {ref['top1_agree']}: not a test")
    else:
        c.expect(s.get("kl", 0) is None and s.get("top1_agree", 0) is None, what, "kl / top1_agree not null")
    got = s.get("layers", [])
    c.expect([g.get("layer") for g in got] == list(range(len(ref["layers"]))), what, "layers entries")
    for l, (g, r) in enumerate(zip(got, ref["layers"])):
        w = f"{what} layer {l}"
        c.expect(abs(g["state_rel_diff"] - r["state_rel_diff"]) <= 1e-9 * r["state_rel_diff"], w,
                 f"state_rel_diff {g['state_rel_diff']} vs {r['state_rel_diff']}")
        c.expect(g["source_agree"] == r["source_agree"], w, f"source_agree {g['source_agree']} vs {r['source_agree']}")
        c.expect(0 < r["source_agree"] < 1 and r["state_rel_diff"] > 0, w, "no difference: not a test")
        if l not in layers:
            continue
        d = os.path.join(out, f"layer{l}")
        diff = c.load(os.path.join(d, "state_diff.npy"), w + " state_diff", np.float32)
        same = c.load(os.path.join(d, "source_same.npy"), w + " source_same", np.uint8)
        if diff is not None:
            c.same(diff, r["state_diff"].numpy(), w + " state_diff.npy")
        if same is not None:
            c.same(same, r["source_same"].numpy(), w + " source_same.npy")
    want = {"summary.json"} | {f"layer{l}/{n}.npy" for l in layers for n in ("state_diff", "source_same")}
    got_files = c.files(out)
    c.expect(got_files == want, what, f"files {sorted(got_files ^ want)} differ from the issue's list")


def check_models(c):
    torch.set_grad_enabled(False)
    # (variant, V, d, H, L, S, A's dtype, B's dtype)
    cases = [("openash", 37, 20, 5, 3, 40, torch.float32, torch.float16),
             ("seed", 29, 12, 3, 2, 33, torch.float16, torch.float32)]
    for variant, V, d, H, L, S, dtype_a, dtype_b in cases:
        name = f"{variant}_{V}_{d}"
        model_a, g = make_model(variant, V, d, H, L, dtype_a, 41)
        sd_a = {k: v.to(dtype_a) for k, v in model_a.state_dict().items()}
        sd_a["decoder_layers.0.ffn.ffn1.bias"].zero_()  # rel_change null
        sd_b = {k: v.to(dtype_b) for k, v in perturbed({k: v.float() for k, v in sd_a.items()}, 43).items()}
        path_a, path_b = os.path.join(c.work, f"{name}_a.pth"), os.path.join(c.work, f"{name}_b.pth")
        torch.save(sd_a if dtype_a == torch.float32 else dict(sd_a), path_a)
        torch.save(dict(sd_b), path_b)
        heads = ["--heads", str(H)] if variant == "seed" else []
        ref_a = loaded(OpenAsh(V, d, H, L, variant), sd_a)
        ref_b = loaded(OpenAsh(V, d, H, L, variant), sd_b)
        ids = torch.randint(1, V, (1, S), generator=g)
        ref = diff_ref.compare_models(ref_a, ref_b, ids)
        ids_arg = ",".join(str(i) for i in ids[0].tolist())

        out = os.path.join(c.work, name)
        if c.diff_ok(name, [path_a, path_b, "--ids", ids_arg, *heads], out):
            s = c.summary(out)
            keys = ["parameters", "alphas", "kl", "top1_agree", "layers"]
            c.expect(list(s)[:5] == keys, name, f"summary keys {list(s)}")
            c.expect(check_parameters(c, name, s, sd_a, sd_b) == 1, name, "not exactly one null rel_change")
            check_alphas(c, name, s, sd_a, sd_b, L, variant)
            check_run(c, name, out, s, ref, list(range(L)))
        out1 = out + "_layer1"
        if c.diff_ok(name + " --layer 1", [path_a, path_b, "--ids", ids_arg, "--layer", "1", *heads], out1):
            check_run(c, name + " --layer 1", out1, c.summary(out1), ref, [1])
        out0 = out + "_parameters"
        if c.diff_ok(name + " no input", [path_a, path_b, *heads], out0):
            s = c.summary(out0)
            c.expect(list(s) == ["parameters", "alphas"], name + " no input", f"summary keys {list(s)}")
            check_parameters(c, name + " no input", s, sd_a, sd_b)
            c.expect(c.files(out0) == {"summary.json"}, name + " no input", f"files {c.files(out0)}")


def check_layer(c):
    torch.set_grad_enabled(False)
    g = torch.Generator().manual_seed(5)
    d, H, S = 16, 4, 70
    layer_a = MaxStateSuper(d, H, "openash")
    randomise_alphas(layer_a, g)
    sd_a = {k: v.clone() for k, v in layer_a.state_dict().items()}
    sd_b = perturbed(sd_a, 7)
    path_a, path_b = os.path.join(c.work, "layer_a.pth"), os.path.join(c.work, "layer_b.pth")
    torch.save(sd_a, path_a)
    torch.save(sd_b, path_b)
    x = torch.randn(1, S, d, generator=g)
    x_path = os.path.join(c.work, "layer_x.npy")
    np.save(x_path, x[0].numpy())
    ref = {"layers": [diff_ref.compare_layers(layer_a, loaded(MaxStateSuper(d, H, "openash"), sd_b), x)]}
    out = os.path.join(c.work, "layer")
    if c.diff_ok("bare layer", [path_a, path_b, "--input", x_path], out):
        s = c.summary(out)
        check_parameters(c, "bare layer", s, sd_a, sd_b)
        check_alphas(c, "bare layer", s, sd_a, sd_b, 1, "openash", model=False)
        check_run(c, "bare layer", out, s, ref, [0], model=False)


def first_difference(sd_a, sd_b):
    for k in sorted(sd_a):
        if k not in sd_b:
            return f"{k} is in A but not in B"
        if sd_a[k].shape != sd_b[k].shape:
            return k + " has shape"
    return next(f"{k} is in B but not in A" for k in sorted(sd_b) if k not in sd_a)


def check_errors(c):
    torch.set_grad_enabled(False)
    paths, sds = {}, {}
    for name, (V, d, H, L) in {"a": (23, 8, 2, 2), "wide": (23, 12, 2, 2), "deep": (23, 8, 2, 3)}.items():
        model, _ = make_model("openash", V, d, H, L, torch.float32, 3)
        sds[name] = model.state_dict()
        paths[name] = os.path.join(c.work, f"arch_{name}.pth")
        torch.save(sds[name], paths[name])
    layer = MaxStateSuper(8, 2, "openash")
    paths["layer"] = os.path.join(c.work, "arch_layer.pth")
    torch.save(layer.state_dict(), paths["layer"])
    sds["layer"] = layer.state_dict()
    kept = os.path.join(c.work, "kept")
    for other in ("wide", "deep", "layer"):
        what = f"architectures differ ({other})"
        shutil.rmtree(kept, ignore_errors=True)
        os.makedirs(kept)
        with open(os.path.join(kept, "old.txt"), "w") as f:
            f.write("x")
        needle = first_difference(sds["a"], sds[other])
        c.expect_error(what, 1, [paths["a"], paths[other], "--ids", "1,2,3"], needle, out=kept)
        c.expect(c.files(kept) == {"old.txt"}, what, f"the output folder changed: {c.files(kept)}")
        c.expect(not [n for n in os.listdir(c.work) if n.startswith(".kept")], what, "a staging folder was left")
    a = paths["a"]
    usage = [
        ("one checkpoint", [a, "--ids", "1"], "two checkpoints"),
        ("no --out", [a, a, "--ids", "1", "--out", ""], "--out"),
        ("--layer without input", [a, a, "--layer", "0"], "--layer needs an input"),
        ("--layer out of range", [a, a, "--ids", "1,2", "--layer", "5"], "--layer"),
        ("--mode", [a, a, "--ids", "1", "--mode", "step"], "--mode"),
        ("two inputs", [a, a, "--ids", "1", "--text", "x"], "only one"),
        ("--heads 0", [a, a, "--heads", "0"], "--heads"),
        ("--input for a model", [a, a, "--input", os.path.join(c.work, "x.npy")], "whole model"),
    ]
    np.save(os.path.join(c.work, "x.npy"), np.zeros((3, 8), np.float32))
    for what, args, needle in usage:
        c.expect_error(what, 2, args, needle)
    code, out, _ = c.run("--help")
    c.expect(code == 0 and "state_diff.npy" in out and "rel_change" in out, "--help", f"exit {code}")


def check_interrupt(c):
    """Ctrl+C after the first layer: exit 130 and nothing written (the run has 7 more layers to go)."""
    torch.set_grad_enabled(False)
    V, d, H, L, S = 50, 256, 8, 8, 4000
    model, g = make_model("openash", V, d, H, L, torch.float32, 9)
    a, b = os.path.join(c.work, "big_a.pth"), os.path.join(c.work, "big_b.pth")
    torch.save(model.state_dict(), a)
    torch.save(perturbed(model.state_dict(), 3), b)
    ids = os.path.join(c.work, "big_ids.npy")
    np.save(ids, torch.randint(1, V, (S,), generator=g).numpy())
    out = os.path.join(c.work, "interrupted")
    shutil.rmtree(out, ignore_errors=True)
    p = subprocess.Popen([c.maxstate, "diff", a, b, "--ids-file", ids, "--out", out], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    first = p.stderr.readline()
    p.send_signal(signal.SIGINT)
    rest = p.stderr.read()
    code = p.wait(timeout=300)
    c.expect(first.startswith(PROGRESS), "Ctrl+C", f"first line {first!r}")
    c.expect(code == 130 and "interrupted" in rest, "Ctrl+C", f"exit {code}, stderr {rest!r}")
    c.expect(not os.path.exists(out), "Ctrl+C", "the output folder was written")
    c.expect(not [n for n in os.listdir(c.work) if n.startswith(".interrupted")], "Ctrl+C", "staging left")


def main():
    c, _ = start(DiffChecker)
    for check in (check_models, check_layer, check_errors, check_interrupt):
        check(c)
    c.finish()


if __name__ == "__main__":
    main()
