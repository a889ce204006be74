"""Runs the real `maxstate whatif` binary on small random checkpoints and compares everything it writes with the
PyTorch reference of tests/reference/whatif_ref.py (a full rerun of the edited sequence through hooked
reference modules).

usage: /usr/bin/python3 check_whatif.py --maxstate BIN --work DIR

For both layer variants: every edit kind alone (replace, delete, insert, knock-out everywhere / in a layer / in
a head, zero-state, freeze-state, drop-term with and without @P), compositions in which later token edits move
earlier interventions (and delete a knocked-out position), --layer, and bare layers. For each: DIR/base against
a plain PyTorch parallel trace (states and sources bit for bit), DIR/edited against the reference (every layer's
input, state, source, terms, output and the logits, with the tolerance of step runs: the core reruns only the
suffix), the intervention visible in the binary's own arrays (a knocked-out position holds the state before it,
a zeroed state is 0 with source -1, ...), and summary.json (edits, lengths, first_affected, KL, top-1, the
position mapping). Then the usage errors: exit 2, the reason on the first line, nothing written.
Exit code 77 (skip) when torch is not installed.
"""
import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "reference"))
from torch_or_skip import np, torch  # noqa: E402
sys.path.insert(0, HERE)
from check_trace import Checker, make_model, save_model, start  # noqa: E402
from make_model_golden import parallel_trace  # noqa: E402
from maxstate_ref import MaxStateSuper, randomise_alphas  # noqa: E402
import whatif_ref  # noqa: E402

PREFIX = "maxstate whatif: "
SUMMARY_KEYS = ["edits", "length_base", "length_edited", "first_affected", "kl", "top1_base", "top1_edited"]


class WhatIfChecker(Checker):
    def run(self, *args):
        p = subprocess.run([self.maxstate, "whatif", *args], capture_output=True, timeout=300)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")

    def whatif_ok(self, what, args, out):
        shutil.rmtree(out, ignore_errors=True)
        code, stdout, stderr = self.run(*args, "--out", out)
        ok = self.expect(code == 0, what, f"exit {code}, stderr: {stderr.strip()}")
        self.expect(stderr == "" and stdout.startswith("what-if:"), what, f"stdout {stdout!r}, stderr {stderr!r}")
        return ok

    def expect_error(self, what, args, needles):
        """Exit 2, the reason on the first line of stderr (naming the problem), --help on the second, no files."""
        out = os.path.join(self.work, "error_" + "".join(ch if ch.isalnum() else "_" for ch in what))
        shutil.rmtree(out, ignore_errors=True)
        got, stdout, stderr = self.run(*args, "--out", out)
        lines = stderr.splitlines()
        self.expect(got == 2, what, f"exit {got}, expected 2; stderr: {stderr.strip()}")
        self.expect(stdout == "", what, f"stdout not empty: {stdout!r}")
        if self.expect(len(lines) == 2 and lines[0].startswith(PREFIX) and "--help" in lines[1], what,
                       f"expected the reason and a --help line: {stderr!r}"):
            for needle in needles:
                self.expect(needle in lines[0], what, f"{needle!r} not in {lines[0]!r}")
        self.expect(not os.path.exists(out), what, "wrote files anyway")


def t(a):
    return a.numpy() if isinstance(a, torch.Tensor) else a


def check_semantics(c, what, out, layers, ref, heads):
    """The interventions, seen in the binary's own edited arrays (the reference does not enter here)."""
    checked = 0
    for iv in ref["interventions"]:
        for l in layers:
            if iv.get("layer", -1) not in (-1, l):
                continue
            d = os.path.join(out, "edited", f"layer{l}")
            st, src = np.load(os.path.join(d, "state.npy")), np.load(os.path.join(d, "source.npy"))
            hs = range(heads) if iv.get("head", -1) < 0 else [iv["head"]]
            p = iv["position"]
            for h in hs:
                w = f"{what}: {iv['kind']} at {p} in layer {l} head {h}"
                if iv["kind"] == "knockout":
                    c.expect(np.array_equal(st[p, h], st[p - 1, h]) and np.array_equal(src[p, h], src[p - 1, h]),
                             w, "the state at P is not the state at P-1")
                    c.expect(not (src[:, h] == p).any(), w, "position P is a source")
                elif iv["kind"] == "zero-state":
                    c.expect(not st[p:, h].any() and (src[p:, h] == -1).all(), w, "state not 0 with source -1")
                elif iv["kind"] == "freeze-state":
                    c.expect((st[p:, h] == st[p - 1, h]).all() and (src[p:, h] == src[p - 1, h]).all(), w,
                             "state not frozen at P-1")
                else:
                    terms = np.load(os.path.join(d, "terms.npy"))
                    k = iv["term"] - 1
                    c.expect(not terms[k, p:, h].any(), w, "the dropped term is not 0 from P on")
                    if p > 0:
                        c.expect(terms[k, :p, h].any(), w, "the term is 0 before P too")
                checked += 1
    return checked


def check_summary(c, what, out, specs, ref, base_len):
    with open(os.path.join(out, "summary.json")) as f:
        s = json.load(f)
    c.expect(list(s)[:len(SUMMARY_KEYS)] == SUMMARY_KEYS, what, f"summary keys {list(s)}")
    c.expect(s.get("edits") == specs, what, f"edits {s.get('edits')}")
    n = len(ref["ids"])
    c.expect(s.get("length_base") == base_len and s.get("length_edited") == n, what,
             f"lengths {s.get('length_base')}, {s.get('length_edited')}; expected {base_len}, {n}")
    c.expect(s.get("first_affected") == ref["first_affected"], what,
             f"first_affected {s.get('first_affected')}, expected {ref['first_affected']}")
    if "base_position" in s:
        c.expect(s["base_position"] == ref["base_of"], what, f"base_position {s['base_position']} vs {ref['base_of']}")
    kl, top1_base, top1_edited = s.get("kl", []), s.get("top1_base", []), s.get("top1_edited", [])
    if not c.expect(len(kl) == len(top1_base) == len(top1_edited) == n, what, "kl/top-1 lists not one per position"):
        return
    lb_cpp = np.load(os.path.join(out, "base", "logits.npy"))
    le_cpp = np.load(os.path.join(out, "edited", "logits.npy"))
    own_kl, own_top1_base, own_top1 = whatif_ref.compare(torch.from_numpy(lb_cpp), torch.from_numpy(le_cpp),
                                                         ref["base_of"])
    lb_ref, le_ref = ref["base"]["logits"].double(), ref["edited"]["logits"].double()
    for i, b in enumerate(ref["base_of"]):
        w = f"{what} position {i}"
        if b is None:
            c.expect(kl[i] is None and top1_base[i] is None, w, f"kl {kl[i]}, top1_base {top1_base[i]}: not null")
            continue
        if not c.expect(kl[i] is not None and top1_base[i] is not None, w, "null where a base position exists"):
            continue
        # KL moves by at most ~4 eps + 2 eps max|lb - le| when the logits move by eps: log-softmax moves each
        # entry by at most 2 eps and p_i by a factor e^(+-2 eps). The core computes the KL's logits apart from
        # logits.npy (other rows at once): they may differ by float32 rounding, eps0 (d * 2^-24 ~ 1e-6 of the
        # row's scale for these d <= 16; seen: ~1e-7).
        spread = float((torch.log_softmax(lb_ref[b], -1) - torch.log_softmax(le_ref[i], -1)).abs().max())
        bound = lambda eps: 1e-12 + 4.01 * eps + 2.01 * eps * spread
        eps0 = 1e-6 * (1 + max(float(np.abs(lb_cpp[b]).max()), float(np.abs(le_cpp[i]).max())))
        c.expect(abs(kl[i] - own_kl[i]) <= bound(eps0), w,
                 f"kl {kl[i]} vs {own_kl[i]} from the written logits (tolerance {bound(eps0)})")
        # Against the reference: eps0 plus how far the written logits are from the reference's.
        eps = eps0 + max(float((torch.from_numpy(lb_cpp[b]).double() - lb_ref[b]).abs().max()),
                         float((torch.from_numpy(le_cpp[i]).double() - le_ref[i]).abs().max()))
        c.expect(abs(kl[i] - ref["kl"][i]) <= bound(eps), w,
                 f"kl {kl[i]} vs reference {ref['kl'][i]} (tolerance {bound(eps)})")
        c.expect(top1_base[i] == own_top1_base[i], w, f"top1_base {top1_base[i]} is not the base logits' argmax")
        # The reference agrees unless two logits are within rounding of each other.
        c.expect(float(lb_ref[b].max() - lb_ref[b][top1_base[i]]) <= 2 * eps + 1e-6, w, "top1_base vs reference")
        if i < ref["first_affected"]:
            c.expect(kl[i] <= 1e-9, w, f"kl {kl[i]} before the first affected position")
    for i in range(n):
        c.expect(top1_edited[i] == own_top1[i], f"{what} position {i}", "top1_edited is not the edited argmax")
        eps = float((torch.from_numpy(le_cpp[i]).double() - le_ref[i]).abs().max())
        c.expect(float(le_ref[i].max() - le_ref[i][top1_edited[i]]) <= 2 * eps + 1e-6, f"{what} position {i}",
                 "top1_edited vs reference")


def check_meaningful(c, what, ref, model=True):
    """The case changes something from first_affected on (else comparing with the reference proves nothing),
    and nothing before it."""
    f = ref["first_affected"]
    if model:
        b, e = ref["base"]["logits"], ref["edited"]["logits"]
        diffs = [0.0 if j is None else float((e[i] - b[j]).abs().max()) for i, j in enumerate(ref["base_of"])]
    else:
        b, e = ref["base"]["layers"][0]["output"], ref["edited"]["layers"][0]["output"]
        diffs = [float((e[i] - b[i]).abs().max()) for i in range(len(ref["base_of"]))]
    before = [x for i, x in enumerate(diffs) if i < f and ref["base_of"][i] is not None]
    after = [x for i, x in enumerate(diffs) if i >= f and ref["base_of"][i] is not None]
    c.expect(max(before, default=0.0) <= 1e-4, what, f"the reference changed before position {f}")
    if len(ref["ids"]) > f:
        c.expect(max(after, default=0.0) > 1e-3, what, f"the edits change nothing from position {f} on: not a test")


def compare_run(c, what, out, layers, ref_layers, exact):
    for l in layers:
        c.compare_layer(f"{what} layer {l}", out, l, ref_layers[l], exact=exact)


def late_source(base_ref, layer, head, below):
    """The last position below `below` (and >= 2) that raised the head's running max somewhere: knocking it out
    or freezing the state there changes something (random projections saturate the running max early, and a
    repeated token in layer 0 only ties)."""
    st = base_ref[layer]["state"][:, head]
    return max(p for p in range(2, below) if (st[p] != st[p - 1]).any())


def model_cases(V, L, H, ids, last, base_ref):
    """(name, specs, --layer) for a model of V ids, L layers, H heads, term count `last`, on `ids`."""
    S = len(ids)
    new = lambda p, k=7: (ids[p] + k) % V
    ko, fr = late_source(base_ref, 1, H - 1, S - 4), late_source(base_ref, 0, H - 1, S - 4)
    return [
        ("replace", [f"replace:5={new(5)}"], None),
        ("delete", ["delete:7"], None),
        ("insert", [f"insert:4={new(4, 3)}"], None),
        ("knockout everywhere", ["knockout:6"], None),
        ("knockout a layer", [f"knockout:6@{L - 1}"], None),
        ("knockout a head", [f"knockout:{ko}@1.{H - 1}"], None),
        ("zero-state", ["zero-state:1.1@8"], None),
        ("freeze-state", [f"freeze-state:0.{H - 1}@{fr}"], None),
        ("drop-term from 0", ["drop-term:1.0.T3"], None),
        ("drop-term from P", [f"drop-term:0.1.T{last}@12"], None),
        ("drop-term T4", ["drop-term:0.2.T4@3"], None),
        ("compose, shifted by inserts and deletes",
         ["knockout:9@0.1", f"zero-state:1.2@15", "drop-term:0.0.T2@11", f"replace:3={new(3)}",
          f"insert:6={new(6, 5)}", "knockout:20", "delete:20", "freeze-state:1.0@24", "delete:2"], None),
        ("compose, a deleted knock-out", ["knockout:12@1.0", "drop-term:0.1.T1@14", f"insert:10={new(10)}",
                                          "delete:13"], None),
        ("compose, interventions first", ["zero-state:0.0@9", "freeze-state:1.1@12", "delete:12",
                                          f"insert:3={new(3, 2)}", "knockout:17@0"], None),
        ("--layer", [f"knockout:{ko}@1.{H - 1}", "zero-state:1.0@11"], 1),
        ("delete the last position", [f"delete:{S - 1}"], None),
        ("insert at the end", [f"insert:{S}={new(S - 1)}", f"zero-state:0.0@{S - 1}"], None),
    ]


def long_cases(V, L, H, ids, last, base_ref):
    """Past the positions where traces keep every layer's state (every 256): the rerun starts from one."""
    S = len(ids)
    ko = late_source(base_ref, 1, 0, S - 4)
    return [
        ("long, replace after a kept state", [f"replace:530={(ids[530] + 3) % V}"], None),
        ("long, knockout and a delete before it", [f"knockout:{ko}@1.0", "zero-state:0.1@600", "delete:300"], None),
        ("long, drop-term at a kept state", ["drop-term:1.1.T2@512", "freeze-state:0.0@257"], None),
    ]


def check_models(c, pool):
    cases = [("openash", torch.float32, 37, 16, 4, 3, 29, 6, model_cases),
             ("seed", torch.float16, 41, 12, 3, 2, 27, 5, model_cases),
             ("openash", torch.float32, 30, 8, 2, 2, 620, 6, long_cases)]
    for n, (variant, dtype, V, d, H, L, S, T, make_cases) in enumerate(cases):
        name = f"{variant}_{str(dtype).split('.')[-1]}" + ("_long" if S > 256 else "")
        model, g = make_model(variant, V, d, H, L, dtype, 200 + n)
        path = os.path.join(c.work, name + ".pth")
        save_model(model, path, dtype)
        if variant == "seed":
            with open(path + ".json", "w") as f:
                json.dump({"heads": H}, f)
        ids = torch.randint(1, V, (S,), generator=g).tolist()
        base_ref, _, base_logits = parallel_trace(model, torch.tensor([ids]))
        jobs = []
        for label, specs, layer in make_cases(V, L, H, ids, T, base_ref):
            what = f"{name} {label}"
            out = os.path.join(c.work, name + "_" + "".join(ch if ch.isalnum() else "_" for ch in label))
            args = [path, "--ids", ",".join(map(str, ids))] + sum((["--edit", s] for s in specs), [])
            if layer is not None:
                args += ["--layer", str(layer)]
            jobs.append((what, specs, layer, out, pool.submit(c.whatif_ok, what, args, out)))
        for what, specs, layer, out, job in jobs:
            ref = whatif_ref.what_if(model, ids, specs)
            # The reference's own check: with no interventions its hooked modules are the plain ones.
            if "replace" in what:
                for l in range(L):
                    for k in ("state", "source", "terms", "output"):
                        c.same(t(ref["base"]["layers"][l][k]), t(base_ref[l][k]), f"reference base {l} {k}")
            check_meaningful(c, what, ref)
            if not job.result():
                continue
            layers = list(range(L)) if layer is None else [layer]
            base_dir, edited_dir = os.path.join(out, "base"), os.path.join(out, "edited")
            meta_b = c.check_files(what + " base", base_dir, layers, True)
            meta_e = c.check_files(what + " edited", edited_dir, layers, True)
            compare_run(c, what + " base", base_dir, layers, base_ref, exact=True)
            c.close(np.load(os.path.join(base_dir, "logits.npy")), base_logits.numpy(), what + " base logits")
            compare_run(c, what + " edited", edited_dir, layers, ref["edited"]["layers"], exact=False)
            c.close(np.load(os.path.join(edited_dir, "logits.npy")), t(ref["edited"]["logits"]),
                    what + " edited logits")
            c.expect(meta_b["tokens"] == ids and meta_e["tokens"] == ref["ids"], what, "tokens in meta.json")
            c.expect(meta_e["labels"] == [str(i) for i in ref["ids"]] and meta_e["length"] == len(ref["ids"]), what,
                     f"edited labels/length {meta_e['labels']}, {meta_e['length']}")
            c.expect(meta_e.get("edits") == specs, what, f"edited meta.json edits {meta_e.get('edits')}")
            checked = check_semantics(c, what, out, layers, ref, H)
            c.expect(checked > 0 or not ref["interventions"] or layer is not None, what, "no intervention checked")
            check_summary(c, what, out, specs, ref, S)


def check_layers(c, pool):
    g = torch.Generator().manual_seed(17)
    cases = [("openash", 15, 5, 26, ["knockout:4@0.1", "zero-state:0.3@10", "drop-term:0.2.T6@7"]),
             ("seed", 12, 3, 21, ["freeze-state:0.0@5", "knockout:9", "drop-term:0.1.T5"])]
    for variant, d, H, S, specs in cases:
        layer = MaxStateSuper(d, H, variant)
        randomise_alphas(layer, g)
        with torch.no_grad():
            layer.combined.weight.copy_(torch.randn(4 * d, d, generator=g) / d ** 0.5)
            if variant == "openash":
                layer.head_linear.weight.copy_(torch.randn(H, 5 * H, generator=g) / (5 * H) ** 0.5)
            x = torch.randn(S, d, generator=g)
        path = os.path.join(c.work, f"layer_{variant}.pth")
        torch.save(layer.state_dict(), path)
        x_file = os.path.join(c.work, f"layer_{variant}_x.npy")
        np.save(x_file, x.numpy())
        out = os.path.join(c.work, f"layer_{variant}_out")
        what = f"bare {variant} layer"
        args = [path, "--input", x_file, "--heads", str(H)] + sum((["--edit", s] for s in specs), [])
        ok = pool.submit(c.whatif_ok, what, args, out).result()
        with torch.no_grad():
            _, _, interventions, first = whatif_ref.apply_edits(list(range(S)), specs)
            base = whatif_ref.run_layer(layer, x, [])
            edited = whatif_ref.run_layer(layer, x, interventions)
        ref = {"ids": list(range(S)), "base_of": list(range(S)), "interventions": interventions,
               "first_affected": first, "base": {"layers": [base]}, "edited": {"layers": [edited]}}
        check_meaningful(c, what, ref, model=False)
        if not ok:
            continue
        c.check_files(what + " base", os.path.join(out, "base"), [0], False)
        meta_e = c.check_files(what + " edited", os.path.join(out, "edited"), [0], False)
        c.compare_layer(what + " base", os.path.join(out, "base"), 0, base, exact=True)
        c.compare_layer(what + " edited", os.path.join(out, "edited"), 0, edited, exact=False)
        c.expect(meta_e.get("edits") == specs and meta_e["length"] == S, what, "edited meta.json")
        c.expect(check_semantics(c, what, out, [0], ref, H) >= 3, what, "interventions not all checked")
        with open(os.path.join(out, "summary.json")) as f:
            s = json.load(f)
        c.expect(s["edits"] == specs and s["length_base"] == S == s["length_edited"] and
                 s["first_affected"] == first and s["kl"] == [] and s["top1_edited"] == [], what, f"summary {s}")


def check_text(c, pool):
    """--text with a vocabulary: the edited run's labels are the vocabulary's labels of the edited ids."""
    V, d, H, L = 12, 8, 2, 2
    model, _ = make_model("openash", V, d, H, L, torch.float32, 7)
    path = os.path.join(c.work, "text_model.pth")
    save_model(model, path, torch.float32)
    tokens = ["<|pad|>", "a", "b", "c", "ab", " ", "d"] + [f"t{i}" for i in range(7, V)]
    vocab = os.path.join(c.work, "vocab.json")
    with open(vocab, "w") as f:
        json.dump(tokens, f)
    ids, specs = [4, 3, 5, 6, 4], ["replace:1=6", "insert:0=9"]  # "abc dab" by longest match
    out, what = os.path.join(c.work, "text_out"), "--text with --vocab"
    if not pool.submit(c.whatif_ok, what, [path, "--text", "abc dab", "--vocab", vocab, "--edit", specs[0],
                                           "--edit", specs[1]], out).result():
        return
    ref = whatif_ref.what_if(model, ids, specs)
    with open(os.path.join(out, "base", "meta.json")) as f:
        meta_b = json.load(f)
    with open(os.path.join(out, "edited", "meta.json")) as f:
        meta_e = json.load(f)
    c.expect(meta_b["tokens"] == ids and meta_b["labels"][:2] == ["ab", "c"], what, f"base {meta_b['labels']}")
    label = {**dict(zip(meta_b["tokens"], meta_b["labels"])), 9: "t9"}  # a space shows as a visible mark
    c.expect(ref["ids"] == [9, 4, 6, 5, 6, 4] and meta_e["tokens"] == ref["ids"], what, f"edited {meta_e['tokens']}")
    c.expect(meta_e["labels"] == [label[i] for i in ref["ids"]], what, f"edited labels {meta_e['labels']}")
    c.expect(meta_e["vocabulary"]["path"] == vocab and meta_e["input"] == "text", what, "vocabulary in meta.json")
    c.close(np.load(os.path.join(out, "edited", "logits.npy")), t(ref["edited"]["logits"]), what + " logits")
    check_summary(c, what, out, specs, ref, len(ids))


def check_errors(c, pool):
    V, d, H, L, S = 20, 8, 2, 2, 6
    model, _ = make_model("seed", V, d, H, L, torch.float32, 3)
    path = os.path.join(c.work, "err.pth")
    save_model(model, path, torch.float32)
    with open(path + ".json", "w") as f:
        json.dump({"heads": H}, f)
    layer = MaxStateSuper(d, H, "openash")
    lpath = os.path.join(c.work, "err_layer.pth")
    torch.save(layer.state_dict(), lpath)
    x = os.path.join(c.work, "err_x.npy")
    np.save(x, np.ones((S, d), np.float32))
    ids = ["--ids", "1,2,3,4,5,6"]
    m = [path] + ids
    cases = [
        ("no --edit", m, ["--edit"]),
        ("knockout of position 0", m + ["--edit", "knockout:0"], ["0"]),
        ("freeze at 0", m + ["--edit", "freeze-state:0.0@0"], ["0"]),
        ("replace outside", m + ["--edit", f"replace:{S}=1"], [str(S)]),
        ("delete outside", m + ["--edit", f"delete:{S}"], [str(S)]),
        ("insert outside", m + ["--edit", f"insert:{S + 1}=1"], [str(S + 1)]),
        ("knockout outside", m + ["--edit", f"knockout:{S + 3}"], [str(S + 3)]),
        ("zero-state outside", m + ["--edit", f"zero-state:0.0@{S}"], [str(S)]),
        ("layer that does not exist", m + ["--edit", f"knockout:2@{L}"], ["layer"]),
        ("head that does not exist", m + ["--edit", f"zero-state:0.{H}@1"], ["head"]),
        ("head of a knockout", m + ["--edit", f"knockout:1@0.{H + 4}"], ["head"]),
        ("T6 of a seed model", m + ["--edit", "drop-term:0.0.T6"], ["T6"]),
        ("id outside the vocabulary", m + ["--edit", f"replace:1={V}"], [str(V)]),
        ("inserted id outside the vocabulary", m + ["--edit", f"insert:1={V + 5}"], [str(V + 5)]),
        ("a later edit outside the shortened sequence", m + ["--edit", "delete:0", "--edit", f"replace:{S - 1}=1"],
         [str(S - 1)]),
        ("everything deleted", [path, "--ids", "3", "--edit", "delete:0"], ["no position"]),
        ("a knock-out moved to 0 by a delete", m + ["--edit", "knockout:1", "--edit", "delete:0"], ["knockout:0"]),
        ("a freeze moved to 0 by a delete", m + ["--edit", "freeze-state:1.1@1", "--edit", "delete:0"],
         ["freeze-state"]),
        ("unknown kind", m + ["--edit", "explode:3"], ["explode:3"]),
        ("replace without an id", m + ["--edit", "replace:3"], ["replace:3"]),
        ("not a number", m + ["--edit", "knockout:x"], ["knockout:x"]),
        ("negative position", m + ["--edit", "delete:-1"], ["delete:-1"]),
        ("term 7", m + ["--edit", "drop-term:0.0.T7"], ["T7"]),
        ("zero-state without a position", m + ["--edit", "zero-state:0.0"], ["zero-state:0.0"]),
        ("token edit on a bare layer", [lpath, "--input", x, "--edit", "replace:1=1"], ["bare"]),
        ("--mode", m + ["--edit", "knockout:1", "--mode", "step"], ["--mode"]),
        ("--layer outside", m + ["--edit", "knockout:1", "--layer", str(L)], ["--layer"]),
    ]
    for f in [pool.submit(c.expect_error, *case) for case in cases]:
        f.result()
    code, out, _ = c.run("--help")
    c.expect(code == 0 and "knockout:P@L.H" in out and "summary.json" in out, "--help", out[:200])


def main():
    c, _ = start(WhatIfChecker)
    # Each run mostly waits for LibTorch to load: two at a time halves the wall time on two cores.
    with ThreadPoolExecutor(2) as pool:
        check_models(c, pool)
        check_layers(c, pool)
        check_text(c, pool)
        check_errors(c, pool)
    c.finish()


if __name__ == "__main__":
    main()
