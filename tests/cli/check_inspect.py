"""Runs the real `maxstate inspect` binary and checks what it prints against what PyTorch saved.

usage: /usr/bin/python3 check_inspect.py MODE --maxstate BIN --work DIR [--fixtures DIR]

  fixtures     every case the reference script make_checkpoints.py wrote (all checkpoint forms): --json must
               print exactly the `model` object PyTorch's tensors give; cases that are no model, and the corpus
               of bad files, must exit 1 with one line on stderr that carries the reader's message.
  recognition  checkpoints written here with torch for what recognition decides: both variants, bare layers
               under a prefix, mixed dtypes, --heads and the side file, wrong shapes, missing and unknown keys.
  usage        usage errors exit 2; --help prints the usage.

Exit code 77 (skip) when torch is not installed, or for `fixtures` when the fixture folder was not written.
"""
import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "reference"))
from torch_or_skip import torch  # noqa: E402
from maxstate_ref import MaxStateSuper, OpenAsh, randomise_alphas  # noqa: E402

DTYPE_NAMES = {torch.float32: "float32", torch.float16: "float16", torch.bfloat16: "bfloat16",
               torch.float64: "float64"}
FIELDS = ["format", "variant", "kind", "vocab_size", "hidden", "heads", "layers", "dtype", "parameters",
          "layers_info"]
PREFIX = "maxstate inspect: "


class Checker:
    def __init__(self, maxstate, work):
        self.maxstate = maxstate
        self.work = work
        self.failures = []
        self.checks = 0
        self.lock = threading.Lock()  # checks run two at a time

    def run(self, *args, env=None, timeout=120):
        full_env = dict(os.environ, **(env or {}))
        p = subprocess.run([self.maxstate, "inspect", *args], capture_output=True, timeout=timeout, env=full_env)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")

    def fail(self, what, detail):
        with self.lock:
            self.failures.append(f"{what}: {detail}")

    def expect(self, ok, what, detail):
        with self.lock:
            self.checks += 1
        if not ok:
            self.fail(what, detail)
        return ok

    def expect_json(self, what, args, expected, env=None):
        """--json must print exactly one JSON object, with exactly the issue's fields in its order."""
        code, out, err = self.run(*args, "--json", env=env)
        if not self.expect(code == 0, what, f"exit {code}, stderr: {err.strip()}"):
            return
        self.expect(err == "", what, f"stderr not empty: {err!r}")
        self.expect(out.endswith("\n") and out.count("\n") == 1, what, f"not one line of JSON: {out!r}")
        try:
            got = json.loads(out)
        except json.JSONDecodeError as e:
            self.fail(what, f"stdout is not JSON ({e}): {out!r}")
            return
        self.expect(list(got) == FIELDS, what, f"fields {list(got)}, expected {FIELDS}")
        for i, layer in enumerate(got.get("layers_info", [])):
            keys = ["index", "alpha1", "alpha2", "alpha3"] + (["alpha4"] if got["variant"] == "seed" else []) + \
                   (["residual_alpha"] if got["kind"] == "model" else [])
            self.expect(list(layer) == keys, what, f"layers_info[{i}] fields {list(layer)}, expected {keys}")
        # Exact comparison, alphas included: float32 values survive JSON exactly as doubles.
        for field in FIELDS:
            self.expect(got.get(field) == expected[field], what,
                        f"{field}: got {got.get(field)!r}, PyTorch saved {expected[field]!r}")

    def expect_failure(self, what, args, code, message=None, contains=(), env=None):
        """Exit `code` with one line on stderr (usage errors add one line pointing to --help), nothing on stdout."""
        got, out, err = self.run(*args, env=env)
        lines = err.splitlines()
        if not self.expect(got == code, what, f"exit {got}, expected {code}; stderr: {err.strip()!r}"):
            return
        self.expect(out == "", what, f"stdout not empty: {out!r}")
        wanted = 2 if code == 2 else 1
        if not self.expect(len(lines) == wanted and err.endswith("\n"), what,
                           f"{len(lines)} stderr lines, expected {wanted}: {err!r}"):
            return
        if code == 2:
            self.expect(lines[1] == "Run 'maxstate inspect --help' for usage.", what, f"second line {lines[1]!r}")
        self.expect(lines[0].startswith(PREFIX), what, f"stderr line does not start with {PREFIX!r}: {lines[0]!r}")
        text = lines[0][len(PREFIX):]
        if message is not None:
            self.expect(text == message, what, f"message\n    {text!r}\n  expected\n    {message!r}")
        for piece in contains:
            self.expect(piece in text, what, f"message {text!r} does not contain {piece!r}")

    def expect_summary(self, what, args, expected):
        """The readable summary names every size and each layer's alphas."""
        code, out, err = self.run(*args)
        if not self.expect(code == 0, what, f"exit {code}, stderr: {err.strip()}"):
            return
        head, _, rest = out.partition("\n\n")
        rows = {line[:12].strip(): line[12:] for line in head.splitlines()}  # labels fill a 12-wide column
        vocab = [line for line in head.splitlines() if line.startswith("vocab size")]
        self.expect(rows.get("format") == expected["format"], what, f"format row {rows.get('format')!r}")
        self.expect(rows.get("variant", "").split(" ")[0] == expected["variant"], what, "variant row")
        self.expect(rows.get("kind", "").split(" ")[0] == expected["kind"], what, "kind row")
        self.expect(rows.get("hidden") == str(expected["hidden"]), what, "hidden row")
        self.expect(rows.get("heads", "").split(" ")[0] == str(expected["heads"]), what, "heads row")
        self.expect(rows.get("layers") == str(expected["layers"]), what, "layers row")
        self.expect(rows.get("parameters") == f"{expected['parameters']:,}", what, "parameters row")
        self.expect(rows.get("dtype") == expected["dtype"], what, "dtype row")
        if expected["vocab_size"] is None:
            self.expect(not vocab, what, "a bare layer shows no vocabulary")
        else:
            self.expect(vocab == [f"vocab size  {expected['vocab_size']}"], what, f"vocab row {vocab}")
        table = rest.splitlines()
        self.expect(len(table) == 1 + len(expected["layers_info"]), what, f"alpha table has {len(table)} lines")
        for row, info in zip(table[1:], expected["layers_info"]):
            values = row.split()
            want = [str(info["index"])] + [repr_float(info[k]) for k in
                                           ("alpha1", "alpha2", "alpha3", "alpha4", "residual_alpha") if k in info]
            self.expect([values[0]] + [repr_float(float(v)) for v in values[1:]] == want, what,
                        f"alpha row {row!r}, expected {want}")


def repr_float(x):
    """float32 round trip: the summary prints 9 significant digits, which identify a float32 exactly."""
    return repr(float(torch.tensor(x, dtype=torch.float32)))


# ------------------------------------------------------------------------------------------ expected values

def strip_prefixes(sd):
    out = collections.OrderedDict()
    for k, v in sd.items():
        for p in ("module.", "_orig_mod."):
            while k.startswith(p):
                k = k[len(p):]
        out[k] = v
    return out


def expected_info(sd, fmt, heads, prefix=""):
    """What inspect must print, from the tensors as PyTorch holds them: counts and dtype by element."""
    floats = {k: v for k, v in strip_prefixes(sd).items() if torch.is_tensor(v) and v.dtype in DTYPE_NAMES}
    elements = collections.Counter()
    for v in floats.values():
        elements[DTYPE_NAMES[v.dtype]] += v.numel()
    order = ["float32", "float16", "bfloat16", "float64"]  # ties: the first of these, as the explorer decides
    dtype = max(order, key=lambda t: (elements[t], -order.index(t)))
    is_model = prefix + "em.weight" in floats
    if is_model:
        ids = sorted({int(k[len(prefix):].split(".")[1]) for k in floats if k.startswith(prefix + "decoder_layers.")})
        layers = [(i, f"{prefix}decoder_layers.{i}.self_attention_linear.") for i in ids]
    else:
        layers = [(0, prefix)]
    variant = "seed" if layers[0][1] + "alpha4" in floats else "openash"
    info = []
    for i, p in layers:
        entry = {"index": i}
        for a in ("alpha1", "alpha2", "alpha3") + (("alpha4",) if variant == "seed" else ()):
            entry[a] = float(floats[p + a].float())
        if is_model:
            entry["residual_alpha"] = float(floats[f"{prefix}decoder_layers.{i}.alpha"].float())
        info.append(entry)
    combined = floats[layers[0][1] + "combined.weight"]
    return {"format": fmt, "variant": variant, "kind": "model" if is_model else "layer",
            "vocab_size": floats[prefix + "em.weight"].shape[0] if is_model else None,
            "hidden": combined.shape[1], "heads": heads, "layers": len(layers), "dtype": dtype,
            "parameters": sum(v.numel() for v in floats.values()), "layers_info": info}


# ------------------------------------------------------------------------------------------------- fixtures

def check_fixtures(c, fixtures):
    cases_file = os.path.join(fixtures, "cases.txt")
    if not os.path.isfile(cases_file):
        print(f"skipping: no checkpoint fixtures in {fixtures} (written by tests/reference/make_checkpoints.py)",
              file=sys.stderr)
        sys.exit(77)
    cases = [line for line in open(cases_file).read().split() if line]
    jobs = []
    heads_checked = False
    for name in cases:
        folder = os.path.join(fixtures, name)
        with open(os.path.join(folder, "expected.json")) as f:
            expected = json.load(f)
        path = os.path.join(folder, expected["file"])
        model = expected["model"]
        if model is None:
            jobs.append(lambda n=name, p=path: c.expect_failure(f"{n} (no model in it)", [p, "--json"], 1,
                                                                contains=["not a MaxStateSuper checkpoint"]))
        elif model["variant"] == "seed":
            jobs.append(lambda n=name, p=path, m=model: seed_case(c, n, p, m))
        else:
            jobs.append(lambda n=name, p=path, m=model: c.expect_json(n, [p], m))
            if not heads_checked and model["kind"] == "model":
                # --heads that agree with head_linear are accepted (once: every run costs a LibTorch start-up).
                heads_checked = True
                jobs.append(lambda n=name, p=path, m=model: c.expect_json(n + " --heads", [p, "--heads", str(m["heads"])], m))
    # The readable summary of a model whose table has every column (seed variant: alpha4; model: residual alpha);
    # the other layouts' summaries are checked in `recognition`.
    for name in cases:
        with open(os.path.join(fixtures, name, "expected.json")) as f:
            expected = json.load(f)
        model = expected["model"]
        if model and model["variant"] == "seed" and model["kind"] == "model":
            args = [os.path.join(fixtures, name, expected["file"]), "--heads", str(model["heads"])]
            jobs.append(lambda n=name, a=args, m=model: c.expect_summary(n + " (summary)", a, m))
            break

    bad_dir = os.path.join(fixtures, "bad")
    with open(os.path.join(bad_dir, "bad.json")) as f:
        bad = json.load(f)
    # Every file of the corpus goes through readCheckpoint in the reader's own tests; here every one that is not
    # BadFile and a tenth of the others (each run of the binary costs about a CPU second of LibTorch start-up)
    # check that the CLI turns each refusal into exit 1 and one line carrying the reader's message.
    sample = [e for i, e in enumerate(sorted(bad, key=lambda e: e["file"])) if i % 10 == 0 or e["kind"] != "BadFile"]
    for entry in sample:
        path = os.path.join(bad_dir, entry["file"])
        # Files the reader accepts ("none") hold no model; every other one carries the reader's own message.
        pieces = ["not a MaxStateSuper checkpoint"] if entry["kind"] == "none" else [entry["message"]]
        jobs.append(lambda e=entry, p=path, pc=pieces: c.expect_failure(f"bad/{e['file']}", [p, "--json"], 1,
                                                                         contains=pc))
    run_all(jobs)
    if c.checks < 3 * len(cases):
        c.fail("fixtures", f"only {c.checks} checks for {len(cases)} cases")


def seed_case(c, name, path, model):
    """A seed-variant checkpoint: heads from --heads, else from the side file, else a usage error."""
    heads = model["heads"]
    folder = os.path.join(c.work, "fixture_" + name)
    os.makedirs(folder, exist_ok=True)
    copy = os.path.join(folder, os.path.basename(path))
    shutil.copy(path, copy)
    if os.path.exists(copy + ".json"):
        os.remove(copy + ".json")
    c.expect_failure(name + " without heads", [copy, "--json"], 2,
                     contains=["seed-variant", "pass --heads N", f'write {{"heads": N}} to {copy}.json'])
    c.expect_json(name + " --heads", [copy, "--heads", str(heads)], model)
    with open(copy + ".json", "w") as f:
        json.dump({"heads": heads}, f)
    c.expect_json(name + " side file", [copy], model)


# ---------------------------------------------------------------------------------------------- recognition

class Wrapper(torch.nn.Module):
    """A training script's module holding the layer as a member: keys `layer.combined.weight`, ..."""

    def __init__(self, inner, name):
        super().__init__()
        self.add_module(name, inner)


def made(module, seed):
    randomise_alphas(module, torch.Generator().manual_seed(seed))
    return module


def check_recognition(c):
    """Independent checks run two at a time; each that writes a side file has a checkpoint file of its own."""
    torch.manual_seed(5)
    w = c.work
    jobs = []
    p = q = None  # checkpoint paths: every job binds the ones it uses when it is made

    def save(obj, name):
        path = os.path.join(w, name)
        torch.save(obj, path)
        return path

    def side(path, text):
        with open(path + ".json", "w") as f:
            f.write(text)
        return path

    # Both variants, models and bare layers; heads from head_linear, --heads or the side file.
    sd = made(OpenAsh(19, 8, 2, 3), 1).state_dict()
    model = expected_info(sd, "torch-zip", 2)
    p = save(sd, "model.pt")
    jobs += [
        lambda p=p, q=q: c.expect_json("openash model", [p], model),
        lambda p=p, q=q: c.expect_summary("openash model (summary)", [p], model),
        lambda p=p, q=q: c.expect_failure(
            "openash model, contradicting --heads", [p, "--heads", "4"], 2,
            "--heads says 4 heads, but decoder_layers.0.self_attention_linear.head_linear.weight has shape [2, 10], "
            "so the checkpoint has 2: leave the heads out, they are read from the checkpoint"),
    ]
    q = side(save(sd, "model_side.pt"), '{"heads": 1}')
    jobs += [
        lambda p=p, q=q: c.expect_failure(
            "openash model, contradicting side file", [q], 1,
            f"the side file {q}.json says 1 heads, but decoder_layers.0.self_attention_linear.head_linear.weight has "
            "shape [2, 10], so the checkpoint has 2: leave the heads out, they are read from the checkpoint"),
    ]

    seed = made(MaxStateSuper(12, 3, "seed"), 2).state_dict()
    p = save(seed, "seed_layer.pt")
    jobs += [
        lambda p=p, q=q: c.expect_failure(
            "seed layer without heads", [p], 2,
            "this seed-variant checkpoint does not say how many heads it has (it has no head_linear): pass --heads N, "
            f"or write {{\"heads\": N}} to {p}.json (N divides the hidden size 12: 1, 2, 3, 4, 6, 12)"),
        lambda p=p, q=q: c.expect_json("seed layer --heads 3", [p, "--heads", "3"], expected_info(seed, "torch-zip", 3)),
        lambda p=p, q=q: c.expect_summary("seed layer (summary)", [p, "--heads", "3"], expected_info(seed, "torch-zip", 3)),
        lambda p=p, q=q: c.expect_failure(
            "seed layer, heads not dividing", [p, "--heads", "5"], 2,
            "--heads says 5 heads, which do not divide the hidden size 12: choose one of 1, 2, 3, 4, 6, 12"),
    ]
    side_files = [('{"heads": 6}', None), ("{heads: 6}", "is not valid JSON (error at byte 2)")]
    for i, (text, problem) in enumerate(side_files):
        q = side(save(seed, f"seed_side{i}.pt"), text)
        if problem is None:
            jobs.append(lambda q=q: c.expect_json("seed layer, side file", [q], expected_info(seed, "torch-zip", 6)))
        else:
            jobs.append(lambda q=q, t=text, pr=problem: c.expect_failure(
                f"seed layer, side file {t}", [q], 1,
                f"side file {q}.json {pr}: expected a JSON object like {{\"heads\": 8}}"))
    q = side(save(seed, "seed_side_5.pt"), '{"heads": 5}')
    jobs += [
        lambda p=p, q=q: c.expect_failure(
            "seed layer, side file heads not dividing", [q], 1,
            f"the side file {q}.json says 5 heads, which do not divide the hidden size 12: choose one of 1, 2, 3, 4, "
            "6, 12"),
        lambda p=p, q=q: c.expect_json("seed layer, --heads wins over the side file", [q, "--heads", "2"],
                              expected_info(seed, "torch-zip", 2)),
    ]

    seed_model = {k: v.half() for k, v in made(OpenAsh(23, 12, 4, 2, "seed"), 3).state_dict().items()}
    p = save(seed_model, "seed_model.pth")
    jobs += [
        lambda p=p, q=q: c.expect_json("openash-shaped model of seed layers", [p, "--heads", "4"],
                              expected_info(seed_model, "torch-zip", 4)),
    ]

    # A layer saved as a member of a training script's module (other prefixes: test_architecture).
    wrapped = Wrapper(made(MaxStateSuper(8, 4, "openash"), 4), "layer").state_dict()
    p = save(wrapped, "wrapped_layer.pt")
    info = expected_info(wrapped, "torch-zip", 4, prefix="layer.")
    jobs.append(lambda p=p, e=info: c.expect_json("bare layer under layer.", [p], e))

    # Mixed storage dtypes: most tensors are float32, most elements are float16 (the embedding and head).
    mixed = made(OpenAsh(400, 8, 2, 1), 6).state_dict()
    mixed["em.weight"] = mixed["em.weight"].half()
    mixed["head_score.weight"] = mixed["head_score.weight"].half()
    p = save(mixed, "mixed.pt")
    info = expected_info(mixed, "torch-zip", 2)
    c.expect(info["dtype"] == "float16", "mixed dtypes fixture", "float16 must hold most elements")
    jobs.append(lambda p=p, e=info: c.expect_json("mixed dtypes", [p], e))

    # Wrong shapes, missing keys, unknown keys, unknown layouts: exit 1, one line naming what is wrong. Every
    # recognition error and its message is tested in test_architecture; these check that the CLI passes them on.
    base = made(OpenAsh(19, 8, 2, 3), 1).state_dict()

    def broken(name, change, message):
        b = collections.OrderedDict(base)
        change(b)
        p = save(b, name)
        jobs.append(lambda p=p: c.expect_failure(name, [p], 1, message))

    broken("wrong_shape.pt", lambda b: b.update({"head_score.weight": torch.zeros(20, 8)}),
           "head_score.weight has shape [20, 8], expected [19, 8] (vocabulary 19 and hidden size 8, from em.weight)")
    broken("missing.pt",
           lambda b: [b.pop("decoder_layers.1.alpha"), b.pop("decoder_layers.2.self_attention_linear.combined.weight")],
           "unsupported layout for an OpenASH model: missing decoder_layers.1.alpha, "
           "decoder_layers.2.self_attention_linear.combined.weight")
    broken("unknown_keys.pt",
           lambda b: b.update({"decoder_layers.1.self_attention_linear.norm_cap": torch.tensor(4.0),
                               "rotary.inv_freq": torch.zeros(4)}),
           "unsupported layout for an OpenASH model: 2 keys are not understood: "
           "decoder_layers.1.self_attention_linear.norm_cap, rotary.inv_freq")
    mlp = torch.nn.Sequential(torch.nn.Linear(4, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2)).state_dict()
    p = save(mlp, "mlp.pt")
    jobs.append(lambda p=p: c.expect_failure(
        "unknown layout", [p], 1,
        "not a MaxStateSuper checkpoint: none of its 4 tensors is understood (0.bias, 0.weight, 2.bias, 2.weight); "
        "expected an OpenASH model (em.weight, decoder_layers.N.self_attention_linear.combined.weight, ..., "
        "head_score.weight) or a bare layer (combined.weight, alpha1..alpha3, and head_linear.weight or alpha4)"))

    # Files that are not there or not files.
    empty = os.path.join(w, "empty.pt")
    open(empty, "wb").close()
    jobs += [
        lambda p=p, q=q: c.expect_failure("missing file", [os.path.join(w, "no-such-file.pt")], 1, contains=["no-such-file.pt"]),
        lambda p=p, q=q: c.expect_failure("empty file", [empty], 1, contains=["empty.pt"]),
    ]
    run_all(jobs)


def check_usage(c):
    jobs = [
        lambda: c.expect_failure("two paths", ["a.pt", "b.pt"], 2, "expected one PATH, got 2: a.pt, b.pt"),
        lambda: c.expect_failure("--heads not a number", ["a.pt", "--heads", "eight"], 2,
                                 "option --heads expects a whole number, got 'eight'"),
        lambda: c.expect_failure("--heads without value", ["a.pt", "--heads"], 2, "option --heads needs a value"),
        lambda: c.expect_failure("unknown option", ["a.pt", "--layers", "3"], 2, "unknown option --layers"),
        lambda: c.expect_failure("--json with a value", ["a.pt", "--json=yes"], 2, "option --json takes no value"),
    ]
    for args in (["a.pt", "--help"],):
        def help_job(args=args):
            code, out, err = c.run(*args)
            c.expect(code == 0 and out.startswith("Usage: maxstate inspect [PATH] [--heads N] [--json]") and err == "",
                     f"inspect {' '.join(args)}", f"exit {code}, stdout {out[:80]!r}, stderr {err!r}")
        jobs.append(help_job)

    def top_level_help():
        p = subprocess.run([c.maxstate, "help", "inspect"], capture_output=True, text=True)
        c.expect(p.returncode == 0 and p.stdout.startswith("Usage: maxstate inspect"), "maxstate help inspect",
                 f"exit {p.returncode}: {p.stdout[:80]!r}")
        p = subprocess.run([c.maxstate, "--help"], capture_output=True, text=True)
        c.expect("  inspect" in p.stdout, "maxstate --help", "lists inspect")
    jobs.append(top_level_help)

    # Without PATH: the bundled demo model, found through MAXSTATE_DATA_DIR first.
    demo = os.path.join(c.work, "data", "demo")
    os.makedirs(demo)
    sd = made(OpenAsh(10, 8, 4, 1), 9).state_dict()
    torch.save(sd, os.path.join(demo, "demo_model.pt"))
    with open(os.path.join(demo, "demo.json"), "w") as f:
        json.dump({"default_model": "demo_model.pt"}, f)
    jobs.append(lambda: c.expect_json("no PATH: the demo model", [], expected_info(sd, "torch-zip", 4),
                                      env={"MAXSTATE_DATA_DIR": os.path.dirname(demo)}))
    # With no demo anywhere (only checked while the source tree ships none), PATH is asked for.
    installed = [os.path.join(os.path.dirname(c.maxstate), "..", "share", "maxstate-explorer", "demo", "demo.json"),
                 os.path.join(HERE, "..", "..", "resources", "demo", "demo.json")]
    if not any(os.path.exists(p) for p in installed):
        jobs.append(lambda: c.expect_failure("no PATH and no demo", [], 2, contains=[
            "no PATH given, and no demo model found", "set MAXSTATE_DATA_DIR"],
            env={"MAXSTATE_DATA_DIR": os.path.join(c.work, "nothing-here")}))
    run_all(jobs)


def run_all(jobs):
    """Two at a time: each run of the binary spends most of its time loading LibTorch."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        for future in [pool.submit(job) for job in jobs]:
            future.result()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["fixtures", "recognition", "usage"])
    ap.add_argument("--maxstate", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--fixtures")
    args = ap.parse_args()
    if os.path.isdir(args.work):
        shutil.rmtree(args.work)
    os.makedirs(args.work)
    c = Checker(args.maxstate, os.path.abspath(args.work))
    if args.mode == "fixtures":
        check_fixtures(c, args.fixtures)
    elif args.mode == "recognition":
        check_recognition(c)
    else:
        check_usage(c)
    for f in c.failures:
        print("FAIL " + f, file=sys.stderr)
    print(f"{args.mode}: {c.checks - len(c.failures)} of {c.checks} checks passed")
    return 1 if c.failures else 0


if __name__ == "__main__":
    sys.exit(main())
