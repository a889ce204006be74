"""Writes checkpoint fixtures of every form of SPEC.md section 3, and a corpus of bad files, for the reader tests.

usage: /usr/bin/python3 make_checkpoints.py OUT_DIR

OUT_DIR/cases.txt lists the good cases. Each case folder holds the checkpoint file and
  expected.json  {"file", "format", "tensors": {name: {"shape", "dtype", "offset"}}, "skipped": [...],
                  "model": <what `maxstate inspect --json` must print for it, or null>}
  expected.bin   float32 values of every tensor (torch's .float() of what was saved), at "offset" (in floats)
OUT_DIR/halves.bin and bfloat16s.bin: torch's float32 value of every float16 / bfloat16 bit pattern.
OUT_DIR/bad/ holds broken and hostile files; OUT_DIR/bad/bad.json lists {"file", "kind", "message"}: the error
kind readCheckpoint must throw and a piece of text its message must contain.
Exit code 77 (skip) when torch is not installed.
"""
import collections
import io
import json
import os
import pickle
import shutil
import struct
import sys
import zipfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_or_skip import np, torch  # noqa: E402
from maxstate_ref import MaxStateSuper, OpenAsh, randomise_alphas  # noqa: E402

DTYPE_NAMES = {torch.float32: "float32", torch.float16: "float16", torch.bfloat16: "bfloat16",
               torch.float64: "float64"}

# Small models: every code path of the reader, files of a few tens of kilobytes.
V, D, H, L = 37, 16, 4, 2
SEED_D, SEED_H = 12, 3


def make_model(variant="openash", d=D, heads=H, layers=L, seed=0):
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    m = OpenAsh(V, d, heads, layers, variant)
    randomise_alphas(m, g)
    return m


def make_layer(variant, d, heads, seed):
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    layer = MaxStateSuper(d, heads, variant)
    randomise_alphas(layer, g)
    return layer


def model_info(sd, variant, kind, heads, fmt):
    """What `maxstate inspect --json` must report for this state dict (names without wrapper prefixes)."""
    floats = {k: v for k, v in sd.items() if torch.is_tensor(v) and v.dtype in DTYPE_NAMES}
    dtypes = collections.Counter(DTYPE_NAMES[v.dtype] for v in floats.values())
    if kind == "model":
        layer_ids = sorted({int(k.split(".")[1]) for k in floats if k.startswith("decoder_layers.")})
        prefixes = [(i, f"decoder_layers.{i}.self_attention_linear.") for i in layer_ids]
        hidden = floats["em.weight"].shape[1]
        vocab = floats["em.weight"].shape[0]
    else:
        prefixes = [(0, "")]
        hidden = floats["combined.weight"].shape[1]
        vocab = None
    layers_info = []
    for i, p in prefixes:
        entry = {"index": i}
        for a in ("alpha1", "alpha2", "alpha3", "alpha4"):
            if p + a in floats:
                entry[a] = float(floats[p + a].float())
        if kind == "model":
            entry["residual_alpha"] = float(floats[f"decoder_layers.{i}.alpha"].float())
        layers_info.append(entry)
    return {"format": fmt, "variant": variant, "kind": kind, "vocab_size": vocab, "hidden": int(hidden),
            "heads": heads, "layers": len(prefixes), "dtype": dtypes.most_common(1)[0][0],
            "parameters": int(sum(v.numel() for v in floats.values())), "layers_info": layers_info}


class Writer:
    def __init__(self, out_dir):
        self.out = out_dir
        self.cases = []

    def case(self, name, filename, expected_sd, fmt, skipped=(), model=None, save=None, raw=None):
        """expected_sd: the tensors readCheckpoint must return (prefix-free names -> tensor as saved)."""
        folder = os.path.join(self.out, name)
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, filename)
        if save is not None:
            save(path)
        else:
            with open(path, "wb") as f:
                f.write(raw)
        tensors, blob, offset = {}, [], 0
        for k in sorted(expected_sd):
            t = expected_sd[k]
            values = t.detach().float().contiguous().reshape(-1).numpy()
            tensors[k] = {"shape": list(t.shape), "dtype": DTYPE_NAMES[t.dtype], "offset": offset}
            blob.append(values)
            offset += values.size
        np.concatenate(blob).astype("<f4").tofile(os.path.join(folder, "expected.bin"))
        with open(os.path.join(folder, "expected.json"), "w") as f:
            json.dump({"file": filename, "format": fmt, "tensors": tensors, "skipped": sorted(skipped),
                       "model": model}, f, indent=1)
        self.cases.append(name)


def converted(sd, dtype):
    return collections.OrderedDict((k, v.to(dtype)) for k, v in sd.items())


def prefixed(sd, prefix):
    return collections.OrderedDict((prefix + k, v) for k, v in sd.items())


def as_flat_views(sd, dtype):
    """Every tensor a view into one shared storage, at its own storage offset."""
    total = sum(v.numel() for v in sd.values()) + 7
    flat = torch.zeros(total, dtype=dtype)
    out, pos = collections.OrderedDict(), 3  # an odd start: unaligned fp16 data
    for k, v in sd.items():
        view = flat[pos:pos + v.numel()].view(v.shape)
        view.copy_(v.to(dtype))
        out[k] = view
        pos += v.numel()
    return out


def as_strided_views(sd, generator):
    """Non-contiguous tensors: transposed matrices, every-other-column slices at offsets, expanded rows."""
    out = collections.OrderedDict()
    for i, (k, v) in enumerate(sd.items()):
        if v.dim() == 2 and i % 3 == 0:
            out[k] = v.t().contiguous().t()  # column-major strides
        elif v.dim() == 2 and i % 3 == 1:
            big = torch.randn(v.shape[0] + 1, 2 * v.shape[1] + 1, generator=generator)
            view = big[1:, 1::2]  # offset, stride 2 in the last dimension
            view.copy_(v)
            out[k] = view
        elif v.dim() == 1 and v.numel() > 1:
            big = torch.randn(2 * v.numel(), generator=generator)
            view = big[1::2]
            view.copy_(v)
            out[k] = view
        else:
            out[k] = v
    return out


# ----------------------------------------------------------------------------------------------- containers

def storage_bytes(t):
    return t.contiguous().reshape(-1).view(torch.uint8).numpy().tobytes() if t.numel() else b""


def write_safetensors(path, tensors, metadata=None):
    """The safetensors format by hand: 8-byte little-endian header length, JSON header, then the data."""
    names = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64",
             torch.int64: "I64", torch.int32: "I32", torch.bool: "BOOL", torch.uint8: "U8"}
    header, data = {}, b""
    if metadata:
        header["__metadata__"] = metadata
    for k, t in tensors.items():
        b = storage_bytes(t)
        header[k] = {"dtype": names[t.dtype], "shape": list(t.shape), "data_offsets": [len(data), len(data) + len(b)]}
        data += b
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + data)


def zip64_archive(entries):
    """A stored zip in which every size and offset goes through zip64 records, as PyTorch writes files > 4 GiB."""
    out, central = io.BytesIO(), b""
    for name, data in entries:
        n = name.encode()
        crc = zlib.crc32(data)
        offset = out.tell()
        extra = struct.pack("<HHQQ", 1, 16, len(data), len(data))
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034b50, 45, 0, 0, 0, 0, crc, 0xffffffff, 0xffffffff,
                              len(n), len(extra)) + n + extra + data)
        cextra = struct.pack("<HHQQQ", 1, 24, len(data), len(data), offset)
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 45, 45, 0, 0, 0, 0, crc, 0xffffffff,
                               0xffffffff, len(n), len(cextra), 0, 0, 0, 0, 0xffffffff) + n + cextra
    cd_offset = out.tell()
    out.write(central)
    z64 = out.tell()
    out.write(struct.pack("<IQHHIIQQQQ", 0x06064b50, 44, 45, 45, 0, 0, len(entries), len(entries), len(central),
                          cd_offset))
    out.write(struct.pack("<IIQI", 0x07064b50, 0, z64, 1))
    out.write(struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, 0xffff, 0xffff, 0xffffffff, 0xffffffff, 0))
    return out.getvalue()


def rezip(src, dst, compression, top=None, extra=()):
    """Copies a torch zip, optionally deflating entries, renaming its top folder or adding entries."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", compression) as zout:
        folder = zin.namelist()[0].split("/")[0]
        for info in zin.infolist():
            name = info.filename if top is None else top + info.filename[info.filename.index("/"):]
            zout.writestr(name, zin.read(info.filename))
        for name, data in extra:
            zout.writestr((top or folder) + "/" + name, data)


def zip_entries(path):
    with zipfile.ZipFile(path) as z:
        return [(i.filename, z.read(i.filename)) for i in z.infolist()]


# ----------------------------------------------------------------------------------------------- good cases

def good_cases(w):
    g = torch.Generator().manual_seed(7)
    model = make_model("openash", seed=1)
    sd = model.state_dict()
    info = lambda s, fmt, variant="openash", kind="model", heads=H: model_info(s, variant, kind, heads, fmt)

    w.case("zip_state_dict", "model.pt", sd, "torch-zip", model=info(sd, "torch-zip"),
           save=lambda p: torch.save(sd, p))
    half = {k: v.half().cpu() for k, v in sd.items()}  # the OpenASH training scripts' plain dict
    w.case("zip_fp16_plain_dict", "full_sft_16_2.pth", half, "torch-zip", model=info(half, "torch-zip"),
           save=lambda p: torch.save(half, p))
    bf16 = converted(sd, torch.bfloat16)
    w.case("zip_bf16", "model_bf16.pt", bf16, "torch-zip", model=info(bf16, "torch-zip"),
           save=lambda p: torch.save(bf16, p))
    f64 = converted(sd, torch.float64)
    w.case("zip_fp64", "model_fp64.pt", f64, "torch-zip", model=info(f64, "torch-zip"),
           save=lambda p: torch.save(f64, p))

    # A resume file: the weights beside real optimizer state after one Adam step, and Python values of all kinds.
    trained = make_model("openash", seed=2)
    opt = torch.optim.Adam(trained.parameters(), lr=1e-3)
    logits, _ = trained(torch.tensor([[1, 2, 3, 4, 5]]))
    logits.float().pow(2).mean().backward()
    opt.step()
    tsd = trained.state_dict()
    resume = {"model": tsd, "optimizer": opt.state_dict(), "scaler": None, "epoch": 2, "step": 123,
              "lr": 3e-4, "config": {"dim": D, "name": "ash", "tags": ["a", "b"]}, "losses": [2.5, 2.25],
              "best": (1, 0.5), "done": True, "blob": b"\x00\x01\xff", "big": 2 ** 70, "rng": torch.get_rng_state()}
    others = sorted(k for k in resume if k != "model")
    w.case("resume_full", "ckpt_epoch2.pt", tsd, "torch-zip", skipped=others, model=info(tsd, "torch-zip"),
           save=lambda p: torch.save(resume, p))
    w.case("resume_legacy_protocol4", "resume_legacy.pt", tsd, "torch-legacy", skipped=others,
           model=info(tsd, "torch-legacy"),
           save=lambda p: torch.save(resume, p, _use_new_zipfile_serialization=False, pickle_protocol=4))
    # What else resume files hold: numpy metrics and RNG state, the run's arguments with paths.
    import argparse
    import pathlib
    resume_np = {"model": tsd, "args": argparse.Namespace(lr=0.1, out=pathlib.Path("/tmp/run")),
                 "best": np.float64(0.5), "rng": np.random.get_state(), "hist": np.arange(3)}
    w.case("resume_numpy_args", "resume_np.pt", tsd, "torch-zip", skipped=["args", "best", "rng", "hist"],
           model=info(tsd, "torch-zip"), save=lambda p: torch.save(resume_np, p))
    w.case("wrap_model", "wrapped_model.pt", sd, "torch-zip", model=info(sd, "torch-zip"),
           save=lambda p: torch.save({"model": sd}, p))
    w.case("wrap_state_dict", "wrapped_sd.pt", sd, "torch-zip", model=info(sd, "torch-zip"),
           save=lambda p: torch.save({"state_dict": sd}, p))
    w.case("list_one", "list.pt", sd, "torch-zip", model=info(sd, "torch-zip"), save=lambda p: torch.save([sd], p))
    w.case("prefix_module", "ddp.pt", sd, "torch-zip", model=info(sd, "torch-zip"),
           save=lambda p: torch.save(prefixed(sd, "module."), p))
    w.case("prefix_orig_mod", "compiled.pt", sd, "torch-zip", model=info(sd, "torch-zip"),
           save=lambda p: torch.save({"model": prefixed(sd, "_orig_mod.")}, p))
    w.case("prefix_both", "ddp_compiled.pt", half, "torch-zip", model=info(half, "torch-zip"),
           save=lambda p: torch.save(prefixed(half, "module._orig_mod."), p))

    views = as_flat_views(sd, torch.float16)
    w.case("views_shared_storage", "views.pt", views, "torch-zip", model=info(views, "torch-zip"),
           save=lambda p: torch.save(views, p))
    strided = as_strided_views(sd, g)
    w.case("noncontiguous", "strided.pt", strided, "torch-zip", model=info(strided, "torch-zip"),
           save=lambda p: torch.save(strided, p))
    strided16 = converted(as_strided_views(sd, g), torch.float16)
    strided16 = collections.OrderedDict((k, v if v.is_contiguous() or v.dim() < 2 else v.t().contiguous().t())
                                        for k, v in strided16.items())
    w.case("noncontiguous_fp16", "strided16.pt", strided16, "torch-zip", model=info(strided16, "torch-zip"),
           save=lambda p: torch.save(strided16, p))
    tied = collections.OrderedDict(sd)
    tied["head_score.weight"] = tied["em.weight"]  # one storage, two names
    w.case("tied_weights", "tied.pt", tied, "torch-zip", model=info(tied, "torch-zip"),
           save=lambda p: torch.save(tied, p))
    params = dict(model.named_parameters())  # nn.Parameter objects: _rebuild_parameter
    w.case("parameters_dict", "params.pt", {k: v.detach() for k, v in params.items()}, "torch-zip",
           model=info({k: v.detach() for k, v in params.items()}, "torch-zip"), save=lambda p: torch.save(params, p))
    for proto in (1, 4, 5):
        w.case(f"zip_protocol{proto}", f"proto{proto}.pt", sd, "torch-zip", model=info(sd, "torch-zip"),
               save=lambda p, proto=proto: torch.save(sd, p, pickle_protocol=proto))

    withints = collections.OrderedDict(sd)
    withints["decoder_layers.0.num_batches_tracked"] = torch.tensor(5)
    withints["decoder_layers.1.mask"] = torch.tensor([True, False])
    kept = {k: v for k, v in withints.items() if v.dtype in DTYPE_NAMES}
    w.case("integer_buffers", "buffers.pt", kept, "torch-zip",
           skipped=["decoder_layers.0.num_batches_tracked", "decoder_layers.1.mask"], model=info(kept, "torch-zip"),
           save=lambda p: torch.save(withints, p))
    edge = collections.OrderedDict([("scalar", torch.tensor(1.25)), ("empty", torch.zeros(0, 4)),
                                    ("empty_half", torch.zeros(3, 0, dtype=torch.float16)),
                                    ("one", torch.tensor([-0.0])),
                                    ("specials", torch.tensor([float("inf"), -float("inf"), 65504.0, 6e-8, -2.0 ** -24],
                                                              dtype=torch.float16)),
                                    ("f64_rounding", torch.tensor([1 + 2 ** -30, 1e300, -1e-300, 0.1],
                                                                  dtype=torch.float64))])
    w.case("edge_tensors", "edge.pt", edge, "torch-zip", save=lambda p: torch.save(edge, p))

    # The legacy (non-zip) format.
    w.case("legacy_state_dict", "legacy.pt", sd, "torch-legacy", model=info(sd, "torch-legacy"),
           save=lambda p: torch.save(sd, p, _use_new_zipfile_serialization=False))
    w.case("legacy_fp16_views", "legacy_views.pt", views, "torch-legacy", model=info(views, "torch-legacy"),
           save=lambda p: torch.save(views, p, _use_new_zipfile_serialization=False))
    w.case("legacy_strided_bf16", "legacy_strided.pt", converted(strided, torch.bfloat16), "torch-legacy",
           model=info(converted(strided, torch.bfloat16), "torch-legacy"),
           save=lambda p: torch.save(converted(strided, torch.bfloat16), p, _use_new_zipfile_serialization=False))

    # Zip variants PyTorch itself reads: renamed top folder, deflated entries, zip64 records.
    tmp = os.path.join(w.out, "tmp_source.pt")
    torch.save(sd, tmp)
    w.case("zip_renamed_folder", "renamed.pt", sd, "torch-zip", model=info(sd, "torch-zip"),
           save=lambda p: shutil.copy(tmp, p))
    w.case("zip_deflated", "deflated.pt", sd, "torch-zip", model=info(sd, "torch-zip"),
           save=lambda p: rezip(tmp, p, zipfile.ZIP_DEFLATED, top="weights"))
    w.case("zip_byteorder_little", "torch21.pt", sd, "torch-zip", model=info(sd, "torch-zip"),
           save=lambda p: rezip(tmp, p, zipfile.ZIP_STORED, extra=[("byteorder", b"little")]))
    w.case("zip64", "zip64.pt", sd, "torch-zip", model=info(sd, "torch-zip"), raw=zip64_archive(zip_entries(tmp)))
    os.remove(tmp)

    # safetensors
    st = {k: v.contiguous() for k, v in sd.items()}
    w.case("safetensors_f32", "model.safetensors", st, "safetensors", model=info(st, "safetensors"),
           save=lambda p: write_safetensors(p, st, {"format": "pt"}))
    st16 = {k: v.half() for k, v in st.items()}
    st16_all = dict(st16, **{"step": torch.tensor([7], dtype=torch.int64)})
    w.case("safetensors_f16", "model_f16.safetensors", st16, "safetensors", skipped=["step"],
           model=info(st16, "safetensors"), save=lambda p: write_safetensors(p, st16_all))
    stbf = {"module." + k: v.bfloat16() for k, v in st.items()}
    w.case("safetensors_bf16_prefixed", "weights.bin", {k[7:]: v for k, v in stbf.items()}, "safetensors",
           model=info({k[7:]: v for k, v in stbf.items()}, "safetensors"), save=lambda p: write_safetensors(p, stbf))

    # TorchScript archives: parameters carry the same names.
    ids = torch.tensor([[1, 2, 3]])
    traced = torch.jit.trace(model, ids, strict=False)
    w.case("torchscript_model", "model_ts.pt", sd, "torchscript", model=info(sd, "torchscript"),
           save=lambda p: torch.jit.save(traced, p))

    # Bare layers of both variants, and a model built from seed-variant layers.
    for variant, d, heads, seed in (("openash", D, H, 11), ("seed", SEED_D, SEED_H, 12)):
        layer = make_layer(variant, d, heads, seed)
        lsd = layer.state_dict()
        w.case(f"layer_{variant}", f"layer_{variant}.pt", lsd, "torch-zip",
               model=model_info(lsd, variant, "layer", heads, "torch-zip"), save=lambda p, s=lsd: torch.save(s, p))
    seed_model = make_model("seed", d=SEED_D, heads=SEED_H, seed=13)
    ssd = {k: v.half() for k, v in seed_model.state_dict().items()}
    w.case("model_seed_fp16", "seed_model.pth", ssd, "torch-zip",
           model=model_info(ssd, "seed", "model", SEED_H, "torch-zip"), save=lambda p: torch.save(ssd, p))
    layer = make_layer("openash", D, H, 14)
    x = torch.randn(1, 5, D, generator=g)
    traced_layer = torch.jit.trace(layer, x)
    w.case("torchscript_layer", "layer_ts.pt", layer.state_dict(), "torchscript",
           model=model_info(layer.state_dict(), "openash", "layer", H, "torchscript"),
           save=lambda p: torch.jit.save(traced_layer, p))


# ----------------------------------------------------------------------------------------------- bad files

class StorageRef:
    def __init__(self, key, numel, storage_type=torch.FloatStorage, view=None):
        self.key, self.numel, self.type, self.view = key, numel, storage_type, view


class FakeTensor:
    """Pickles exactly as torch.save pickles a tensor, with whatever size, stride and offset a test wants."""

    def __init__(self, storage, offset, size, stride):
        self.args = (storage, offset, tuple(size), tuple(stride), False, collections.OrderedDict())

    def __reduce__(self):
        return (torch._utils._rebuild_tensor_v2, self.args)


class Hostile:
    """An object whose unpickling would call `func(*args)` in Python."""

    def __init__(self, func, *args):
        self.func, self.args = func, args

    def __reduce__(self):
        return (self.func, self.args)


def torch_pickle(obj, protocol=2, legacy=False):
    buf = io.BytesIO()

    class P(pickle.Pickler):
        def persistent_id(self, o):
            if isinstance(o, StorageRef):
                pid = ("storage", o.type, o.key, "cpu", o.numel)
                return pid + (o.view,) if legacy else pid
            return None

    P(buf, protocol=protocol).dump(obj)
    return buf.getvalue()


def torch_zip(pkl, storages=None, top="archive", **entry_opts):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr(f"{top}/data.pkl", pkl)
        for key, data in (storages or {}).items():
            z.writestr(f"{top}/data/{key}", data)
        z.writestr(f"{top}/version", b"3\n")
    return buf.getvalue()


def legacy_file(obj, storages, protocol=2):
    """The legacy torch.save layout around `obj`; storages: key -> (element size, bytes)."""
    out = pickle.dumps(0x1950a86a20f9469cfc6c, protocol=protocol) + pickle.dumps(1001, protocol=protocol)
    out += pickle.dumps({"protocol_version": 1001, "little_endian": True,
                         "type_sizes": {"short": 2, "int": 4, "long": 4}}, protocol=protocol)
    out += torch_pickle(obj, protocol, legacy=True)
    keys = sorted(storages)
    out += pickle.dumps(keys, protocol=protocol)
    for k in keys:
        size, data = storages[k]
        out += struct.pack("<q", len(data) // size) + data
    return out


def zip_fields(data, name):
    """Offsets of an entry's local header, central directory record and data in a zip made by zipfile."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        info = z.getinfo(name)
    local = info.header_offset
    central = struct.unpack_from("<I", data, len(data) - 22 + 16)[0]
    while True:
        n, x, c = struct.unpack_from("<HHH", data, central + 28)
        if data[central + 46:central + 46 + n] == name.encode():
            break
        central += 46 + n + x + c
    data_start = local + 30 + sum(struct.unpack_from("<HH", data, local + 26))
    return local, central, data_start, info


def bad_files(out_dir):
    bad_dir = os.path.join(out_dir, "bad")
    os.makedirs(bad_dir, exist_ok=True)
    manifest = []

    def bad(name, data, message, kind="BadFile"):
        with open(os.path.join(bad_dir, name), "wb") as f:
            f.write(data)
        manifest.append({"file": name, "kind": kind, "message": message})

    floats16 = struct.pack("<16f", *range(16))
    ok_sd = lambda t: collections.OrderedDict([("w", t)])
    good_tensor = FakeTensor(StorageRef("0", 16), 0, (4, 4), (4, 1))
    good = torch_zip(torch_pickle(ok_sd(good_tensor)), {"0": floats16})
    bad("control_good.pt", good, "", kind="none")  # the harness itself: this one must load

    bad("empty.pt", b"", "empty")
    bad("lfs_pointer.pt", b"version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 123\n", "Git LFS")
    bad("html_page.pt", b"<!DOCTYPE html><html><body>Not found</body></html>", "HTML page")
    bad("text.pt", b"hello, this is not a checkpoint\n" * 10, "not a checkpoint")

    # Hostile globals: each refusal names the global.
    import os as os_module
    import subprocess
    hostile = [("os", "system"), ("posix", "system"), ("nt", "system"), ("builtins", "eval"), ("builtins", "exec"),
               ("builtins", "getattr"), ("builtins", "__import__"), ("__builtin__", "eval"),
               ("subprocess", "Popen"), ("subprocess", "check_output"), ("shutil", "rmtree"),
               ("webbrowser", "open"), ("pickle", "loads"), ("torch.storage", "_load_from_bytes"),
               ("numpy", "load"), ("numpy.testing._private.utils", "runstring"), ("torch", "load"),
               ("collections", "namedtuple"),
               ("torch._utils", "_rebuild_device_tensor_from_numpy"), ("__main__", "OpenAsh")]
    for module, name in hostile:
        pkl = b"\x80\x02c" + module.encode() + b"\n" + name.encode() + b"\nq\x00X\x04\x00\x00\x00echoq\x01\x85q\x02Rq\x03."
        bad(f"global_{module}_{name}.pt", torch_zip(pkl), f"`{module}.{name}`")
    # The same through __reduce__ (posix.system), STACK_GLOBAL (protocol 4), inside a valid state dict, legacy.
    evil = Hostile(os_module.system, "echo pwned")
    bad("reduce_posix_system.pt", torch_zip(pickle.dumps(evil, protocol=2)), "`posix.system`")
    bad("stack_global_subprocess.pt", torch_zip(pickle.dumps(Hostile(subprocess.call, "ls"), protocol=4)),
        "`subprocess.call`")
    bad("inside_state_dict.pt",
        torch_zip(torch_pickle(collections.OrderedDict([("w", good_tensor), ("x", evil)])), {"0": floats16}),
        "`posix.system`")
    bad("legacy_posix_system.pt", legacy_file(collections.OrderedDict([("x", evil)]), {}), "`posix.system`")
    bad("inst_opcode.pt", torch_zip(b"(S'ls'\nios\nsystem\n."), "`os.system`")
    bad("whole_model.pt", torch_zip(pickle.dumps(OpenAsh(5, 4, 2, 1), protocol=2).replace(b"cmaxstate_ref", b"c__main__")),
        "`__main__.OpenAsh`")

    # Absurd tensors and storages: clear errors, no allocation attempt.
    def tensor_file(size, stride, offset=0, numel=16, data=floats16, stype=torch.FloatStorage):
        t = FakeTensor(StorageRef("0", numel, stype), offset, size, stride)
        return torch_zip(torch_pickle(ok_sd(t)), {"0": data})

    bad("tensor_400000x400000.pt", tensor_file((400000, 400000), (400000, 1)), "[400000, 400000]")
    bad("tensor_broadcast_huge.pt", tensor_file((400000, 400000), (0, 0)), "repeat")
    bad("tensor_overflow.pt", tensor_file((2 ** 40, 2 ** 40, 2 ** 40), (1, 1, 1)), "far more elements")
    bad("tensor_offset.pt", tensor_file((4,), (1,), offset=2 ** 62), "offset 4611686018427387904")
    bad("tensor_offset_past_end.pt", tensor_file((4,), (1,), offset=13), "offset 13")
    bad("tensor_stride.pt", tensor_file((4, 4), (2 ** 61, 1)), "strides [2305843009213693952, 1]")
    bad("tensor_negative_size.pt", tensor_file((-4, 4), (4, 1)), "negative size")
    bad("tensor_negative_stride.pt", tensor_file((4, 4), (-4, 1)), "negative stride")
    bad("tensor_rank_mismatch.pt", tensor_file((4, 4), (1,)), "with 1 strides")
    bad("tensor_many_dims.pt", tensor_file((1,) * 70, (1,) * 70), "70 entries")
    bad("storage_claims_more.pt", tensor_file((1000, 1000), (1000, 1), numel=10 ** 6), "holds 64 bytes")
    bad("storage_huge_numel.pt", tensor_file((4,), (1,), numel=2 ** 62), "claims 4611686018427387904 elements")
    bad("storage_missing.pt", torch_zip(torch_pickle(ok_sd(good_tensor)), {}), "no entry 'archive/data/0'")
    repeated = collections.OrderedDict((f"w{i}", FakeTensor(StorageRef("0", 2 ** 20), 0, (2 ** 20,), (1,)))
                                       for i in range(40))
    bad("views_repeat_storage.pt", torch_zip(torch_pickle(repeated), {"0": bytes(4 * 2 ** 20)}), "repeat the data")

    # Pickle structure: deep nesting, memo abuse, truncation, unknown opcodes.
    bad("deep_lists.pt", torch_zip(b"\x80\x02" + b"]" * 100000 + b"a" * 99999 + b"."), "nested more than 1000")
    bad("deep_marks.pt", torch_zip(b"\x80\x02" + b"(" * 100000 + b"."), "nested MARKs")
    deep = good_tensor
    for _ in range(3000):
        deep = [deep]
    sys.setrecursionlimit(20000)
    bad("deep_wrapped.pt", torch_zip(torch_pickle(deep)), "nested more than 1000")
    bad("memo_missing.pt", torch_zip(b"\x80\x02h\x05."), "memo entry 5")
    bad("memo_huge_index.pt", torch_zip(b"\x80\x02j\xff\xff\xff\xff."), "memo entry 4294967295")
    bad("memo_text_index.pt", torch_zip(b"\x80\x02Np99999999999999999999999999\n."), "bad index")
    bad("memo_put_empty.pt", torch_zip(b"\x80\x02q\x00."), "empty stack")
    bad("pickle_truncated.pt", torch_zip(torch_pickle(ok_sd(good_tensor))[:60], {"0": floats16}), "truncated")
    bad("pickle_no_stop.pt", torch_zip(b"\x80\x02N"), "before its STOP")
    bad("pickle_protocol9.pt", torch_zip(b"\x80\x09N."), "protocol 9")
    bad("pickle_unknown_opcode.pt", torch_zip(b"\x80\x02\xffN."), "unknown opcode 0xff")
    bad("pickle_huge_string.pt", torch_zip(b"\x80\x02\x8d" + struct.pack("<Q", 2 ** 62) + b"abc."), "ends first")
    bad("pickle_huge_long4.pt", torch_zip(b"\x80\x02\x8b" + struct.pack("<I", 2 ** 31) + b"."), "bytes")
    bad("pickle_ext.pt", torch_zip(b"\x80\x02\x82\x01."), "extension-registry")
    bad("pickle_text_persid.pt", torch_zip(b"\x80\x02P0\n."), "text persistent id")
    bad("pickle_bad_pid.pt", torch_zip(b"\x80\x02X\x03\x00\x00\x00abcQ."), "not a PyTorch storage reference")
    bad("pickle_setitem_on_list.pt", torch_zip(b"\x80\x02]NNs."), "SETITEM on a list")
    bad("pickle_reduce_non_callable.pt", torch_zip(b"\x80\x02N)R."), "calls a None")
    bad("pickle_storage_type_called.pt", torch_zip(b"\x80\x02ctorch\nFloatStorage\n)R."), "does not call")

    # Containers without weights.
    bad("no_state_dict.pt", torch_zip(torch_pickle({"epoch": 3, "optimizer": {"lr": 0.1}})), "no state dict found",
        kind="Unsupported")
    bad("plain_pickle.pt", pickle.dumps({"a": [1, 2, 3]}, protocol=2), "not one written by torch.save",
        kind="Unsupported")
    only_ints = collections.OrderedDict([("n", FakeTensor(StorageRef("0", 2, torch.LongStorage), 0, (2,), (1,)))])
    bad("only_int_tensors.pt", torch_zip(torch_pickle(only_ints), {"0": struct.pack("<2q", 1, 2)}),
        "no floating-point tensors", kind="Unsupported")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    bad("zip_without_pickle.pt", buf.getvalue(), "without a <folder>/data.pkl", kind="Unsupported")
    clash = collections.OrderedDict([("module.w", good_tensor), ("w", good_tensor)])
    bad("prefix_clash.pt", torch_zip(torch_pickle(clash), {"0": floats16}), "name the same parameter",
        kind="Unsupported")

    # Zip damage: CRCs, sizes that lie, bombs, missing records.
    def patched(data, offset, fmt, value):
        b = bytearray(data)
        struct.pack_into(fmt, b, offset, value)
        return bytes(b)

    local, central, start, info = zip_fields(good, "archive/data/0")
    b = bytearray(good)
    b[start + 5] ^= 0x40
    bad("crc_storage_flipped.pt", bytes(b), "CRC-32")
    plocal, pcentral, pstart, pinfo = zip_fields(good, "archive/data.pkl")
    b = bytearray(good)
    b[pstart + 3] ^= 0x01
    bad("crc_pickle_flipped.pt", bytes(b), "CRC-32")
    bad("crc_field_wrong.pt", patched(good, central + 16, "<I", info.CRC ^ 1), "CRC-32")
    beyond = good
    for offset in (central + 20, central + 24, local + 18, local + 22):
        beyond = patched(beyond, offset, "<I", 10 ** 9)
    bad("size_beyond_archive.pt", beyond, "more than the archive holds")
    lying = patched(good, central + 24, "<I", 60)  # stored entry: declared size differs from what is on disk
    bad("size_stored_mismatch.pt", lying, "lies about its size")
    no_descriptor = patched(patched(good, central + 8, "<H", 0), local + 6, "<H", 0)
    bad("size_local_mismatch.pt", patched(no_descriptor, local + 22, "<I", 32), "lies about its size")
    bad("local_header_moved.pt", patched(good, central + 42, "<I", local + 1), "no local header")
    bad("central_dir_outside.pt", patched(good, len(good) - 6, "<I", len(good) * 2), "central directory")
    bad("entry_count_absurd.pt", patched(patched(good, len(good) - 12, "<H", 60000), len(good) - 14, "<H", 60000),
        "claims 60000 entries")
    bad("no_end_record.pt", good[:-22], "end-of-central-directory")
    dup = io.BytesIO()
    with zipfile.ZipFile(dup, "w") as z:
        import warnings
        warnings.simplefilter("ignore")
        z.writestr("archive/data.pkl", torch_pickle(ok_sd(good_tensor)))
        z.writestr("archive/data/0", floats16)
        z.writestr("archive/data/0", floats16[::-1])
    bad("duplicate_entry.pt", dup.getvalue(), "two entries named")
    # Zip bombs: a deflated data.pkl claiming 8 GiB; an entry that inflates past what it declares.
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("archive/data.pkl", b"\x80\x02N." + b"\x00" * (4 << 20))
    bomb_data = bomb.getvalue()
    blocal, bcentral, _, binfo = zip_fields(bomb_data, "archive/data.pkl")
    declare = lambda size: patched(patched(bomb_data, bcentral + 24, "<I", size), blocal + 22, "<I", size)
    bad("zip_bomb_ratio.pt", declare(0xfffffff0), "zip bomb")
    bad("zip_inflates_more.pt", declare(1000), "inflates to more than")
    bad("zip_inflates_less.pt", declare((4 << 20) + 100), "does not inflate")
    bad("zip_method_unknown.pt", patched(patched(good, pcentral + 10, "<H", 14), plocal + 8, "<H", 14),
        "compression method 14")
    big_endian = io.BytesIO()
    with zipfile.ZipFile(big_endian, "w") as z:
        z.writestr("archive/data.pkl", torch_pickle(ok_sd(good_tensor)))
        z.writestr("archive/byteorder", b"big")
        z.writestr("archive/data/0", floats16)
    bad("byteorder_big.pt", big_endian.getvalue(), "big-endian", kind="Unsupported")
    bad("zip_encrypted.pt", patched(good, pcentral + 8, "<H", 0x0809), "encrypted")

    # Legacy format damage.
    leg_obj = ok_sd(FakeTensor(StorageRef("k", 16), 0, (4, 4), (4, 1)))
    bad("legacy_storage_short.pt", legacy_file(leg_obj, {"k": (4, floats16)})[:-8], "file ends first")
    bad("legacy_count_mismatch.pt",
        legacy_file(ok_sd(FakeTensor(StorageRef("k", 20), 0, (4, 4), (4, 1))), {"k": (4, floats16)}),
        "16 elements in the data section but 20")
    bad("legacy_unknown_key.pt", legacy_file(leg_obj, {"k": (4, floats16), "z": (4, floats16)}), "which no tensor uses")
    bad("legacy_missing_key.pt", legacy_file(leg_obj, {}), "does not hold")
    bad("legacy_view_outside.pt",
        legacy_file(ok_sd(FakeTensor(StorageRef("k", 16, view=("v", 10, 10)), 0, (4,), (1,))), {"k": (4, floats16)}),
        "lies outside its storage")

    # safetensors damage.
    def st_file(header, data=b"", raw_header=None):
        h = raw_header if raw_header is not None else json.dumps(header).encode()
        return struct.pack("<Q", len(h)) + h + data

    okh = {"w": {"dtype": "F32", "shape": [4, 4], "data_offsets": [0, 64]}}
    bad("st_header_huge.safetensors", struct.pack("<Q", 2 ** 60) + b"{}", "header claims")
    bad("st_header_truncated.safetensors", struct.pack("<Q", 1000) + b'{"w": 1', "ends inside its header")
    bad("st_header_not_json.safetensors", st_file(None, raw_header=b"{not json at all}"), "not a JSON object")
    bad("st_offsets_beyond.safetensors", st_file({"w": {"dtype": "F32", "shape": [4, 4], "data_offsets": [0, 6400]}},
                                                 floats16), "data section of 64 bytes")
    bad("st_shape_mismatch.safetensors", st_file({"w": {"dtype": "F32", "shape": [400000, 400000],
                                                        "data_offsets": [0, 64]}}, floats16), "[400000, 400000]")
    bad("st_negative_shape.safetensors", st_file({"w": {"dtype": "F32", "shape": [-4, 4], "data_offsets": [0, 64]}},
                                                 floats16), "non-negative")
    bad("st_deep_json.safetensors", st_file(None, raw_header=b'{"a":' + b"[" * 100000 + b"]" * 100000 + b"}"),
        "nested too deeply")
    bad("st_missing_fields.safetensors", st_file({"w": {"dtype": "F32"}}, floats16), "lacks dtype")
    bad("st_only_metadata.safetensors", st_file({"__metadata__": {"a": "b"}}), "no floating-point tensors",
        kind="Unsupported")
    bad("st_control_good.safetensors", st_file(okh, floats16), "", kind="none")

    with open(os.path.join(bad_dir, "bad.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    return len(manifest)


def conversion_tables(out_dir):
    """torch's .float() of every float16 and every bfloat16 bit pattern, in bit-pattern order."""
    bits = torch.arange(65536, dtype=torch.int32).to(torch.int16)
    for dtype, name in ((torch.float16, "halves.bin"), (torch.bfloat16, "bfloat16s.bin")):
        bits.view(dtype).float().numpy().astype("<f4").tofile(os.path.join(out_dir, name))


def fuzz_seeds(out_dir, cases):
    """Seed corpora for the fuzzers: the fixtures' files, their pickles, and the small bad files."""
    seeds = {k: os.path.join(out_dir, "seeds", k) for k in ("zip", "pickle", "safetensors")}
    for d in seeds.values():
        os.makedirs(d, exist_ok=True)
    files = [os.path.join(out_dir, c, json.load(open(os.path.join(out_dir, c, "expected.json")))["file"])
             for c in cases]
    bad_dir = os.path.join(out_dir, "bad")
    files += [os.path.join(bad_dir, f) for f in sorted(os.listdir(bad_dir)) if f != "bad.json"]
    for i, path in enumerate(files):
        if os.path.getsize(path) > 256 * 1024:
            continue
        data = open(path, "rb").read()
        name = f"{i:03d}_{os.path.basename(path)}"
        if data[:2] == b"PK":
            shutil.copy(path, os.path.join(seeds["zip"], name))
            try:
                with zipfile.ZipFile(path) as z:
                    for entry in z.namelist():
                        if entry.endswith("data.pkl"):
                            with open(os.path.join(seeds["pickle"], name + ".pkl"), "wb") as f:
                                f.write(z.read(entry))
            except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, RuntimeError):
                pass
        elif data[:1] == b"\x80" or data[:1] == b"L":
            shutil.copy(path, os.path.join(seeds["pickle"], name))
        elif path.endswith(".safetensors") or (len(data) > 8 and data[8:9] == b"{"):
            shutil.copy(path, os.path.join(seeds["safetensors"], name))


def main(out_dir):
    torch.set_grad_enabled(True)
    if os.path.isdir(out_dir):
        shutil.rmtree(out_dir)
    os.makedirs(out_dir)
    w = Writer(out_dir)
    good_cases(w)
    with open(os.path.join(out_dir, "cases.txt"), "w") as f:
        f.write("\n".join(w.cases) + "\n")
    n_bad = bad_files(out_dir)
    conversion_tables(out_dir)
    fuzz_seeds(out_dir, w.cases)
    print(f"wrote {len(w.cases)} checkpoint cases and {n_bad} bad files to {out_dir}")


if __name__ == "__main__":
    main(sys.argv[1])
