"""Writes the checkpoints the explorer's window tests open with the real core, as users' training scripts save them.

usage: /usr/bin/python3 make_ui_checkpoints.py OUT_DIR
  step100.pth, step200.pth   one small OpenASH model at two points of "training" (different alphas), saved as the
                             OpenASH scripts do (plain dict of fp16 tensors), with vocab.json (a character list)
                             beside them
  seed_layer.pt              a bare seed-variant layer: its heads cannot be read off the file (no side file)
  long_model.pth             a wider model with the same vocabulary, slow enough to trace that a test can cancel it
Exit code 77 (skip) when torch is not installed.
"""
import json
import os
import sys

try:
    import torch
except ModuleNotFoundError as e:  # pragma: no cover
    if e.name not in ("torch", "numpy"):  # only a missing reference skips; a broken installation fails
        raise
    print(f"skipping: {e} (install python3-torch)", file=sys.stderr)
    sys.exit(77)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))
from maxstate_ref import MaxStateSuper, OpenAsh, randomise_alphas  # noqa: E402

CHARS = ["<|pad|>", "<|im_start|>", "<|im_end|>"] + list(" abcdefghijklmnopqrstuvwxyz.,'\n")
D, H, L = 32, 4, 3


def save_fp16(model, path):
    torch.save({k: v.half().cpu() for k, v in model.state_dict().items()}, path)


def main(out):
    os.makedirs(out, exist_ok=True)
    torch.set_grad_enabled(False)
    g = torch.Generator().manual_seed(5)
    torch.manual_seed(5)
    model = OpenAsh(len(CHARS), D, H, L, "openash")
    randomise_alphas(model, g)
    save_fp16(model, os.path.join(out, "step100.pth"))
    randomise_alphas(model, g)  # the same model later in training: other alphas
    save_fp16(model, os.path.join(out, "step200.pth"))
    with open(os.path.join(out, "vocab.json"), "w") as f:
        json.dump(CHARS, f)

    layer = MaxStateSuper(24, 3, "seed")
    randomise_alphas(layer, g)
    torch.save(layer.state_dict(), os.path.join(out, "seed_layer.pt"))

    wide = OpenAsh(len(CHARS), 256, 8, 4, "openash")
    save_fp16(wide, os.path.join(out, "long_model.pth"))
    print(f"wrote the explorer's test checkpoints to {out}")


if __name__ == "__main__":
    main(sys.argv[1])
