"""Writes layer inputs and PyTorch's outputs for the C++ layer tests.

usage: /usr/bin/python3 make_layer_golden.py OUT_DIR
Each case folder holds: x.npy [S, d], combined.npy [4d, d], head_linear.npy [H, 5H] (openash),
state.npy / source.npy [S, H, dh], terms.npy [T, S, H, dh], output.npy [S, d], meta.json.
Exit code 77 (skip) when torch is not installed.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_or_skip import np, torch  # noqa: E402
from maxstate_ref import MaxStateSuper, randomise_alphas  # noqa: E402

# name, variant, d, H, S, integer-valued (exact projections, many ties)
CASES = [
    ("seed_small", "seed", 16, 4, 33, False),
    ("openash_small", "openash", 16, 4, 33, False),
    ("openash_h1", "openash", 12, 1, 20, False),
    ("seed_h1", "seed", 7, 1, 19, False),
    ("seed_dh1", "seed", 6, 6, 17, False),
    ("openash_dh1", "openash", 5, 5, 23, False),
    ("openash_d30", "openash", 30, 5, 50, False),
    ("seed_d24", "seed", 24, 3, 41, False),
    ("seed_s1", "seed", 8, 2, 1, False),
    ("openash_s1", "openash", 12, 3, 1, False),
    ("openash_long", "openash", 32, 4, 2048, False),
    ("seed_long", "seed", 20, 4, 2100, False),
    ("openash_ties", "openash", 12, 3, 64, True),
    ("seed_ties", "seed", 8, 2, 64, True),
]


def main(out_dir):
    torch.set_grad_enabled(False)
    g = torch.Generator().manual_seed(1234)
    for name, variant, d, heads, s, integer in CASES:
        layer = MaxStateSuper(d, heads, variant)
        randomise_alphas(layer, g)
        if integer:
            layer.combined.weight.copy_(torch.randint(-1, 2, (4 * d, d), generator=g).float())
            x = torch.randint(-2, 3, (1, s, d), generator=g).float()
        else:
            layer.combined.weight.copy_(torch.randn(4 * d, d, generator=g) / d ** 0.5)
            x = torch.randn(1, s, d, generator=g)
        if variant == "openash":
            layer.head_linear.weight.copy_(torch.randn(heads, 5 * heads, generator=g) / (5 * heads) ** 0.5)
        out, _ = layer(x)
        state, source, terms = layer.trace(x)
        case = os.path.join(out_dir, name)
        os.makedirs(case, exist_ok=True)
        save = lambda n, t: np.save(os.path.join(case, n + ".npy"), t.numpy())
        save("x", x[0])
        save("combined", layer.combined.weight)
        if variant == "openash":
            save("head_linear", layer.head_linear.weight)
        save("state", state)
        save("source", source)
        save("terms", terms)
        save("output", out[0])
        alphas = {k: float(getattr(layer, k)) for k in ("alpha1", "alpha2", "alpha3", "alpha4") if hasattr(layer, k)}
        with open(os.path.join(case, "meta.json"), "w") as f:
            json.dump({"variant": variant, "dim": d, "heads": heads, "length": s, "integer": integer, **alphas}, f)
    with open(os.path.join(out_dir, "cases.txt"), "w") as f:
        f.write("\n".join(c[0] for c in CASES) + "\n")
    print(f"wrote {len(CASES)} layer cases to {out_dir}")


if __name__ == "__main__":
    main(sys.argv[1])
