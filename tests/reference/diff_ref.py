"""PyTorch reference of checkpoint comparisons (SPEC.md section 7, issue 14), built on maxstate_ref's modules.

Parameters: rel_change = ||W_B - W_A|| / ||W_A|| in float64 over each tensor (None where ||W_A|| = 0), in the
sorted key order. On one input: both models' plain parallel runs (make_model_golden.parallel_trace), then per
position KL(P_A || P_B) from float64 log_softmax of the float32 logits, top-1 agreement, and per layer
state_rel_diff = ||e_B - e_A|| / ||e_A|| (float64), source_agree (the fraction of state cells with the same
source), state_diff = e_B - e_A (float32) and source_same (uint8).
"""
import torch

from make_model_golden import parallel_trace


def rel_change(a, b):
    a, b = a.double(), b.double()
    base = torch.linalg.vector_norm(a)
    return None if float(base) == 0 else float(torch.linalg.vector_norm(b - a) / base)


def parameters(sd_a, sd_b):
    """[(name, shape, rel_change)] for every floating-point tensor of A, in sorted key order."""
    return [(k, list(sd_a[k].shape), rel_change(sd_a[k], sd_b[k]))
            for k in sorted(sd_a) if sd_a[k].is_floating_point()]


def kl(logits_a, logits_b):
    la, lb = torch.log_softmax(logits_a.double(), -1), torch.log_softmax(logits_b.double(), -1)
    return (la.exp() * (la - lb)).sum(-1)


def layer_stats(state_a, source_a, state_b, source_b):
    ea, eb = state_a.double(), state_b.double()
    base = torch.linalg.vector_norm(ea)
    return {
        "state_rel_diff": float(torch.linalg.vector_norm(eb - ea) / base) if float(base) else None,
        "source_agree": float((source_a == source_b).double().mean()),
        "state_diff": state_b - state_a,
        "source_same": (source_a == source_b).to(torch.uint8),
    }


def compare_models(model_a, model_b, ids):
    """ids [1, S]: kl [S] (float64), top1_a / top1_b [S], top1_agree, and per layer layer_stats."""
    layers_a, _, logits_a = parallel_trace(model_a, ids)
    layers_b, _, logits_b = parallel_trace(model_b, ids)
    top1_a, top1_b = logits_a.argmax(-1), logits_b.argmax(-1)
    return {
        "kl": kl(logits_a, logits_b), "logits_a": logits_a, "logits_b": logits_b,
        "top1_a": top1_a, "top1_b": top1_b, "top1_agree": float((top1_a == top1_b).double().mean()),
        "layers": [layer_stats(a["state"], a["source"], b["state"], b["source"]) for a, b in zip(layers_a, layers_b)],
    }


def compare_layers(layer_a, layer_b, x):
    """Bare MaxStateSuper layers on x [1, S, d]: one layer_stats."""
    state_a, source_a, _ = layer_a.trace(x)
    state_b, source_b, _ = layer_b.trace(x)
    return layer_stats(state_a, source_a, state_b, source_b)
