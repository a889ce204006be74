"""Writes the checkpoints the explorer's window tests open with the real core, as users' training scripts save them.

usage: /usr/bin/python3 make_ui_checkpoints.py OUT_DIR
  step100.pth, step200.pth   one small OpenASH model at two points of "training" (different alphas), saved as the
                             OpenASH scripts do (plain dict of fp16 tensors), with vocab.json (a character list)
                             beside them
  seed_layer.pt              a bare seed-variant layer: its heads cannot be read off the file (no side file)
  long_model.pth             a wider model with the same vocabulary, slow enough to trace that a test can cancel it
  series/                    one training run of the small model (issue 14), saved four ways: step100.pth (step in
                             the name), ckpt_latest.pt (a resume file: step 200 in its entries, nothing in the
                             name), pretrain_32_300.pth (the last number of the name), final.pth (no step); the
                             weights and alphas move between saves; vocab.json beside them
Exit code 77 (skip) when torch is not installed.
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))
from torch_or_skip import torch  # noqa: E402
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
    write_series(os.path.join(out, "series"), g)  # last: the files above stay as they were
    print(f"wrote the explorer's test checkpoints to {out}")


def write_series(out, g):
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(7)
    model = OpenAsh(len(CHARS), D, H, L, "openash")

    def train_a_bit():
        # Every tensor moves, one layer's projection far more than the rest: the table has a clear first row.
        randomise_alphas(model, g)
        for name, p in model.named_parameters():
            scale = 0.3 if name.startswith("decoder_layers.1.") and p.dim() == 2 else 0.02
            p.add_(torch.randn(p.shape, generator=g) * scale * p.abs().mean().clamp(min=1e-3))

    saves = [("step100.pth", None), ("ckpt_latest.pt", {"epoch": 0, "step": 200}),
             ("pretrain_32_300.pth", None), ("final.pth", None)]
    for name, resume in saves:
        train_a_bit()
        path = os.path.join(out, name)
        if resume:
            sd = {k: v.half().cpu() for k, v in model.state_dict().items()}
            torch.save({"model": sd, "optimizer": {}, **resume}, path)
        else:
            save_fp16(model, path)
    with open(os.path.join(out, "vocab.json"), "w") as f:
        json.dump(CHARS, f)


if __name__ == "__main__":
    main(sys.argv[1])
