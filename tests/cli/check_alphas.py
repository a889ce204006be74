"""Runs the real `maxstate alphas` binary on a training run written here with PyTorch and checks what it prints.

usage: /usr/bin/python3 check_alphas.py --maxstate BIN --work DIR

The run folder mixes what users save (SPEC.md section 3): plain fp16 dicts with steps in their names, resume
files with an epoch and a step (and odd values: a float step, a bool epoch), a legacy-format file, .safetensors
(one with a step in its metadata), a seed-variant bare layer with its heads side file, a file with no step,
and files that are no checkpoints (side files, notes) -- named so that name order is not training order.
--json must print exactly one object with exactly the issue's fields, in training order, with the alphas
PyTorch loads bit for bit; --csv one header line and one line per checkpoint and layer; the table one row per
checkpoint in each layer's section. Then the errors: no PATH and --json with --csv exit 2; a file that is no
checkpoint, a missing file, an empty folder, a truncated checkpoint and a seed layer without heads stop with
one line naming the file.
Exit code 77 (skip) when torch is not installed.
"""
import argparse
import csv
import io
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "reference"))
from torch_or_skip import torch  # noqa: E402
from make_checkpoints import write_safetensors  # noqa: E402
from maxstate_ref import MaxStateSuper, OpenAsh, randomise_alphas  # noqa: E402

PREFIX = "maxstate alphas: "
CSV_HEADER = "file,epoch,step,layer,alpha1,alpha2,alpha3,alpha4,residual_alpha"


class Checker:
    def __init__(self, maxstate, work):
        self.maxstate, self.work = maxstate, work
        self.failures, self.checks = [], 0

    def run(self, *args):
        p = subprocess.run([self.maxstate, "alphas", *args], capture_output=True, timeout=120)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")

    def expect(self, ok, what, detail):
        self.checks += 1
        if not ok:
            self.failures.append(f"{what}: {detail}")
        return ok

    def expect_failure(self, what, args, code, starts, contains=()):
        """Exit `code`, one line on stderr naming the problem (usage errors add the --help line), no stdout."""
        got, out, err = self.run(*args)
        if not self.expect(got == code, what, f"exit {got}, expected {code}; stderr {err!r}"):
            return
        self.expect(out == "", what, f"stdout not empty: {out!r}")
        lines = err.splitlines()
        wanted = 2 if code == 2 else 1
        if not self.expect(len(lines) == wanted, what, f"{len(lines)} stderr lines, expected {wanted}: {err!r}"):
            return
        if code == 2:
            self.expect(lines[1] == "Run 'maxstate alphas --help' for usage.", what, f"second line {lines[1]!r}")
        self.expect(lines[0].startswith(PREFIX + starts), what, f"{lines[0]!r} does not start with {starts!r}")
        for piece in contains:
            self.expect(piece in lines[0], what, f"{lines[0]!r} does not contain {piece!r}")


# ------------------------------------------------------------------------------------------- the training run

def model(seed, variant="openash"):
    g = torch.Generator().manual_seed(seed)
    m = OpenAsh(29, 8, 2, 2, variant)
    randomise_alphas(m, g)
    return m


def fp16(sd):
    return {k: v.half() for k, v in sd.items()}


def layer_alphas(sd, prefix, variant, residual_key):
    """The layer entry the JSON must hold, from the tensors as torch.load gives them."""
    entry = {}
    for a in ("alpha1", "alpha2", "alpha3") + (("alpha4",) if variant == "seed" else ()):
        entry[a] = float(sd[prefix + a].float())
    if residual_key:
        entry["residual_alpha"] = float(sd[residual_key].float())
    return entry


def expected_layers(sd):
    if "em.weight" in sd:
        variant = "seed" if "decoder_layers.0.self_attention_linear.alpha4" in sd else "openash"
        count = len({k.split(".")[1] for k in sd if k.startswith("decoder_layers.")})
        return [dict(index=i, **layer_alphas(sd, f"decoder_layers.{i}.self_attention_linear.", variant,
                                             f"decoder_layers.{i}.alpha")) for i in range(count)]
    variant = "seed" if "alpha4" in sd else "openash"
    return [dict(index=0, **layer_alphas(sd, "", variant, None))]


def write_run(run):
    """Writes the run's files and returns the expected checkpoints in training order: (name, epoch, step, sd)."""
    os.makedirs(run)
    saved = {}  # name -> (epoch, step, the state dict as torch.load gives it back)

    def save(name, obj, epoch, step, **kwargs):
        path = os.path.join(run, name)
        torch.save(obj, path, **kwargs)
        loaded = torch.load(path)
        sd = loaded["model"] if "model" in loaded else loaded
        saved[name] = (epoch, step, sd)

    # Plain fp16 dicts as OpenASH's training scripts write them: the step is the last number of the name.
    save("pretrain_768_12_step300.pth", fp16(model(1).state_dict()), None, 300)
    save("pretrain_768_12_step1200.pth", fp16(model(2).state_dict()), None, 1200)
    save("pretrain_768_12_step50.pth", fp16(model(3).state_dict()), None, 50)
    save("legacy_step150.pt", model(4).state_dict(), None, 150, _use_new_zipfile_serialization=False)
    # Resume files: their integer entries win over the names' numbers; epoch 1 comes after all of epoch 0.
    m = model(5)
    opt = torch.optim.Adam(m.parameters())
    save("resume_9999.pt", {"model": m.state_dict(), "optimizer": opt.state_dict(), "scaler": None,
                            "epoch": 1, "step": 100}, 1, 100)
    save("resume_1.pt", {"model": fp16(model(6).state_dict()), "optimizer": opt.state_dict(), "epoch": 0,
                         "step": 700}, 0, 700)
    # Odd values: a float step is no step (the name's 250 counts), a bool epoch is no epoch.
    save("resume_odd_250.pt", {"model": model(7).state_dict(), "epoch": True, "step": 3.5}, None, 250)
    # .safetensors: the step of the name, or of the header's metadata.
    for name, seed, metadata, step in (("weights_step900.safetensors", 8, {"format": "pt"}, 900),
                                       ("export.safetensors", 9, {"format": "pt", "step": "450"}, 450)):
        sd = {k: v.contiguous() for k, v in model(seed).state_dict().items()}
        write_safetensors(os.path.join(run, name), sd, metadata)
        saved[name] = (None, step, sd)
    # A seed-variant bare layer, its heads in the side file beside it (which is no checkpoint).
    g = torch.Generator().manual_seed(10)
    seed_layer = MaxStateSuper(8, 2, "seed")
    randomise_alphas(seed_layer, g)
    save("seed_layer_step600.pt", seed_layer.state_dict(), None, 600)
    with open(os.path.join(run, "seed_layer_step600.pt.json"), "w") as f:
        json.dump({"heads": 2}, f)
    # No number anywhere: last.
    save("final.pth", fp16(model(11).state_dict()), None, None)
    with open(os.path.join(run, "notes.txt"), "w") as f:
        f.write("not a checkpoint\n")

    order = sorted(saved.items(), key=lambda kv: (kv[1][1] is None, kv[1][0] or 0, kv[1][1] or 0, kv[0]))
    return [(name, epoch, step, sd) for name, (epoch, step, sd) in order]


# ------------------------------------------------------------------------------------------------- the checks

def check_json(c, run, expected):
    code, out, err = c.run(run, "--json")
    if not c.expect(code == 0 and err == "", "json", f"exit {code}, stderr {err!r}"):
        return
    c.expect(out.endswith("\n") and out.count("\n") == 1, "json", f"not one line of JSON: {out[:200]!r}")
    got = json.loads(out)
    c.expect(list(got) == ["checkpoints"], "json", f"top-level fields {list(got)}")
    files = [e["file"] for e in got["checkpoints"]]
    want_files = [os.path.join(run, name) for name, *_ in expected]
    c.expect(files == want_files, "json order", f"\n  got      {files}\n  expected {want_files}")
    for entry, (name, epoch, step, sd) in zip(got["checkpoints"], expected):
        c.expect(list(entry) == ["file", "step", "epoch", "layers"], name, f"fields {list(entry)}")
        c.expect(entry["step"] == step and entry["epoch"] == epoch, name,
                 f"step {entry['step']!r} epoch {entry['epoch']!r}, expected {step!r} {epoch!r}")
        want = expected_layers(sd)
        for layer, w in zip(entry["layers"], want):
            c.expect(list(layer) == list(w), name, f"layer fields {list(layer)}, expected {list(w)}")
        # Exact: float32 values survive JSON exactly as doubles.
        c.expect(entry["layers"] == want, name, f"layers\n  got      {entry['layers']}\n  expected {want}")


def f32(text):
    """A printed alpha back as the float32 it names (9 significant digits identify a float32 exactly)."""
    return float(torch.tensor(float(text), dtype=torch.float32))


def check_csv(c, run, expected):
    code, out, err = c.run(run, "--csv")
    if not c.expect(code == 0 and err == "", "csv", f"exit {code}, stderr {err!r}"):
        return
    lines = out.splitlines()
    c.expect(lines[0] == CSV_HEADER, "csv", f"header {lines[0]!r}")
    rows = list(csv.reader(io.StringIO(out)))[1:]
    want = []
    for name, epoch, step, sd in expected:
        for layer in expected_layers(sd):
            want.append([os.path.join(run, name), "" if epoch is None else str(epoch),
                         "" if step is None else str(step), str(layer["index"])] +
                        [layer.get(k) for k in ("alpha1", "alpha2", "alpha3", "alpha4", "residual_alpha")])
    c.expect(len(rows) == len(want), "csv", f"{len(rows)} lines, expected {len(want)}")
    for row, w in zip(rows, want):
        values = [f32(v) if v else None for v in row[4:]]
        c.expect(row[:4] == w[:4] and values == w[4:], "csv line", f"\n  got      {row}\n  expected {w}")


def check_table(c, run, expected):
    code, out, err = c.run(run)
    if not c.expect(code == 0 and err == "", "table", f"exit {code}, stderr {err!r}"):
        return
    sections = out.split("\n\n")
    c.expect(len(sections) == 2, "table", f"{len(sections)} layer sections, expected 2 (the models' layers)")
    for index, section in enumerate(sections):
        lines = section.splitlines()
        c.expect(lines[0] == f"layer {index}", "table", f"section title {lines[0]!r}")
        header = lines[1].split()
        c.expect(header == ["epoch", "step", "alpha1", "alpha2", "alpha3", "alpha4", "residual_alpha", "file"],
                 "table", f"header {header}")
        want = [(name, epoch, step, expected_layers(sd)[index]) for name, epoch, step, sd in expected
                if index < len(expected_layers(sd))]
        c.expect(len(lines) - 2 == len(want), "table", f"layer {index}: {len(lines) - 2} rows, expected {len(want)}")
        for line, (name, epoch, step, layer) in zip(lines[2:], want):
            cells = line.split()
            alphas = [None if v == "-" else f32(v) for v in cells[2:7]]
            wanted = [layer.get(k) for k in ("alpha1", "alpha2", "alpha3", "alpha4", "residual_alpha")]
            c.expect(cells[0] == ("-" if epoch is None else str(epoch)) and
                     cells[1] == ("-" if step is None else str(step)) and alphas == wanted and
                     cells[7] == os.path.join(run, name), "table row", f"{line!r}, expected {name} {wanted}")


def check_paths(c, run, expected):
    """Files named one by one, in any order and with the folder too: each read once, in training order."""
    last, first = expected[-1][0], expected[0][0]
    code, out, err = c.run(os.path.join(run, last), run, os.path.join(run, first), "--json")
    if c.expect(code == 0, "files and folder", f"exit {code}, stderr {err!r}"):
        files = [e["file"] for e in json.loads(out)["checkpoints"]]
        c.expect(files == [os.path.join(run, n) for n, *_ in expected], "files and folder", f"order {files}")
    code, out, err = c.run(os.path.join(run, last), os.path.join(run, first), "--json", "--heads", "2")
    if c.expect(code == 0, "two files", f"exit {code}, stderr {err!r}"):
        files = [e["file"] for e in json.loads(out)["checkpoints"]]
        c.expect(files == [os.path.join(run, first), os.path.join(run, last)], "two files", f"order {files}")


def check_errors(c, run):
    c.expect_failure("no PATH", [], 2, "expected at least one PATH")
    c.expect_failure("--json and --csv", [run, "--json", "--csv"], 2, "choose one of --json and --csv")
    c.expect_failure("bad --heads", [run, "--heads", "x"], 2, "")
    notes = os.path.join(run, "notes.txt")
    c.expect_failure("not a checkpoint", [run, notes], 1, notes + ": not a checkpoint this tool can read")
    missing = os.path.join(c.work, "missing.pt")
    c.expect_failure("missing file", [missing], 1, missing + ": ")
    empty = os.path.join(c.work, "empty")
    os.makedirs(empty)
    shutil.copy(notes, empty)
    c.expect_failure("folder without checkpoints", [empty, "--json"], 1, empty + ": no checkpoint files")
    # A checkpoint cut short (training still writing it) in a folder: the command stops, naming it.
    broken = os.path.join(c.work, "broken")
    shutil.copytree(run, broken)
    cut = os.path.join(broken, "pretrain_768_12_step300.pth")
    with open(cut, "r+b") as f:
        f.truncate(os.path.getsize(cut) // 2)
    c.expect_failure("truncated checkpoint", [broken, "--csv"], 1, cut + ": ")
    # A seed layer without its side file: heads are needed; the message names the file and --heads.
    os.remove(os.path.join(broken, "seed_layer_step600.pt.json"))
    os.remove(cut)
    seed = os.path.join(broken, "seed_layer_step600.pt")
    c.expect_failure("seed without heads", [broken], 2, seed + ": ", contains=("--heads",))
    code, out, err = c.run(seed, "--heads", "2", "--json")
    c.expect(code == 0 and json.loads(out)["checkpoints"][0]["step"] == 600, "seed with --heads",
             f"exit {code}, stderr {err!r}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--maxstate", required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    c = Checker(args.maxstate, args.work)
    run = os.path.join(args.work, "run")
    expected = write_run(run)
    check_json(c, run, expected)
    check_csv(c, run, expected)
    check_table(c, run, expected)
    check_paths(c, run, expected)
    check_errors(c, run)
    for f in c.failures:
        print("FAIL", f, file=sys.stderr)
    print(f"{c.checks} checks, {len(c.failures)} failures")
    return 1 if c.failures else 0


if __name__ == "__main__":
    sys.exit(main())
