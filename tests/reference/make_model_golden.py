"""Writes small whole OpenASH-family models and PyTorch's trace of them for the C++ model tests.

usage: /usr/bin/python3 make_model_golden.py OUT_DIR
Each case folder holds:
  weights/<state-dict key>.npy   every parameter as float32, after rounding through the case's dtype (that is
                                 what a checkpoint in that dtype gives); alphas are 0-dim arrays
  ids.npy [S] int64, meta.json   (variant, vocab, dim, heads, layers, dtype, top_k)
  layerN/{input,state,source,terms,output,state_norm}.npy   one parallel run: the MaxStateSuper layer's input
                                 [S, d], state/source [S, H, dh], terms [T, S, H, dh], output [S, d] (x1, as the
                                 module returns it), state_norm [S, H]
  final.npy [S, d]               the residual stream after the last layer (head_score's input)
  logits.npy [S, V]; top_ids.npy / top_probs.npy [S, k]   softmax(logits) top-k
  lens_ids.npy / lens_probs.npy [S, L, k]   logit lens: softmax(head_score(stream after layer l)) top-k
  step_logits.npy [S, V], step_inputs.npy [L, S, d]   a one-token-at-a-time run carrying each layer's state
Exit code 77 (skip) when torch is not installed.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_or_skip import np, torch  # noqa: E402
from maxstate_ref import OpenAsh, randomise_alphas  # noqa: E402

TOP_K = 5
DTYPES = {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}

# name, variant, vocab, d, H, layers, S, storage dtype
CASES = [
    ("openash_fp32", "openash", 61, 16, 4, 3, 40, "float32"),
    ("seed_fp32", "seed", 53, 12, 3, 2, 33, "float32"),
    ("openash_fp16", "openash", 47, 24, 6, 2, 29, "float16"),
    ("seed_fp16", "seed", 40, 16, 2, 3, 31, "float16"),
    ("openash_bf16", "openash", 37, 20, 5, 2, 27, "bfloat16"),
    ("seed_bf16", "seed", 45, 18, 3, 2, 35, "bfloat16"),
    ("openash_s1", "openash", 19, 8, 2, 2, 1, "float32"),
    ("openash_h1", "openash", 23, 10, 1, 2, 17, "float16"),
    ("seed_long", "seed", 97, 32, 4, 2, 700, "float32"),
]


def randomise(model, g, d):
    """Random weights everywhere (LayerNorm and FFN included) and non-default alphas."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() == 0:
                continue
            if name.endswith("layer_norm.weight"):
                p.copy_(1 + 0.3 * torch.randn(p.shape, generator=g))
            elif name.endswith("bias"):
                p.copy_(0.2 * torch.randn(p.shape, generator=g))
            elif name == "em.weight":
                p.copy_(torch.randn(p.shape, generator=g))
            else:
                p.copy_(torch.randn(p.shape, generator=g) / p.shape[1] ** 0.5)
        randomise_alphas(model, g)


def round_through(model, dtype):
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.to(dtype).float())


def top_k(logits):
    probs = torch.softmax(logits, dim=-1)
    p, i = probs.topk(min(TOP_K, logits.shape[-1]), dim=-1)
    return i, p


def parallel_trace(model, ids):
    """The model's forward, recording each MaxStateSuper layer on the way (same ops as OpenAsh.forward)."""
    x = model.em(ids)
    per_layer, streams = [], []
    for layer in model.decoder_layers:
        att = layer.self_attention_linear
        state, source, terms = att.trace(x)
        x_next, _ = layer(x)
        x1, _ = att(x)
        per_layer.append({"input": x[0], "state": state, "source": source, "terms": terms, "output": x1[0],
                          "state_norm": torch.linalg.vector_norm(state, dim=-1)})
        x = x_next
        streams.append(x[0])
    logits = model.head_score(x)
    ref_logits, _ = model(ids)
    assert torch.equal(logits, ref_logits), "trace and forward disagree"
    return per_layer, streams, logits[0]


def step_run(model, ids):
    """One token at a time, each layer carrying its state: what a C++ step run must reproduce."""
    states = None
    logits, inputs = [], [[] for _ in model.decoder_layers]
    for t in range(ids.shape[1]):
        x = model.em(ids[:, t:t + 1])
        new_states = []
        for n, layer in enumerate(model.decoder_layers):
            inputs[n].append(x[0, 0])
            x, st = layer(x, None if states is None else states[n])
            new_states.append(st)
        states = new_states
        logits.append(model.head_score(x)[0, 0])
    return torch.stack(logits), torch.stack([torch.stack(i) for i in inputs])


def main(out_dir):
    torch.set_grad_enabled(False)
    g = torch.Generator().manual_seed(4321)
    for name, variant, vocab, d, heads, layers, s, dtype in CASES:
        model = OpenAsh(vocab, d, heads, layers, variant)
        randomise(model, g, d)
        round_through(model, DTYPES[dtype])
        ids = torch.randint(0, vocab, (1, s), generator=g)
        ids[0, 0] = 0  # the padding id is an ordinary input
        if s > 1:
            ids[0, -1] = vocab - 1
        case = os.path.join(out_dir, name)
        os.makedirs(os.path.join(case, "weights"), exist_ok=True)
        save = lambda n, t: np.save(os.path.join(case, n + ".npy"), t.contiguous().numpy())
        for key, p in model.state_dict().items():
            save("weights/" + key, p)
        save("ids", ids[0])
        per_layer, streams, logits = parallel_trace(model, ids)
        for n, rec in enumerate(per_layer):
            os.makedirs(os.path.join(case, f"layer{n}"), exist_ok=True)
            for k, t in rec.items():
                save(f"layer{n}/{k}", t)
        save("final", streams[-1])
        save("logits", logits)
        i, p = top_k(logits)
        save("top_ids", i)
        save("top_probs", p)
        lens = [top_k(model.head_score(x)) for x in streams]  # [L] of ([S, k], [S, k])
        save("lens_ids", torch.stack([l[0] for l in lens], dim=1))
        save("lens_probs", torch.stack([l[1] for l in lens], dim=1))
        step_logits, step_inputs = step_run(model, ids)
        save("step_logits", step_logits)
        save("step_inputs", step_inputs)
        with open(os.path.join(case, "meta.json"), "w") as f:
            json.dump({"variant": variant, "vocab": vocab, "dim": d, "heads": heads, "layers": layers,
                       "length": s, "dtype": dtype, "top_k": TOP_K}, f)
    with open(os.path.join(out_dir, "cases.txt"), "w") as f:
        f.write("\n".join(c[0] for c in CASES) + "\n")
    print(f"wrote {len(CASES)} model cases to {out_dir}")


if __name__ == "__main__":
    main(sys.argv[1])
