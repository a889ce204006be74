"""PyTorch reference of what-if runs (SPEC.md section 5, issue 13), built on maxstate_ref's modules.

The edited model is the reference model with each MaxStateSuper swapped for `InterventionLayer`, a subclass
whose forward is the module's own (branches, cummax, terms, sum) with three hooks: `cummax_input` (a knocked-out
position's c is -inf there, and only there), `state_seen` (zeroed / frozen state overwrites what the terms see)
and `kept_terms` (a dropped term is zero where it is dropped). The edited ids go through a full parallel run,
from position 0: an independent route to what the core computes from the base's states.

Edits are SPEC strings (`replace:P=ID`, `knockout:P@L.H`, `drop-term:L.H.Tk@P`, ...), applied in order: each
one's positions are those of the sequence as the edits before it left it; a later token edit moves the
positions of the interventions given before it (insert at P: positions >= P + 1; delete at P: positions > P
- 1, a knock-out of P itself disappears, other interventions at P stay at P).
"""
import copy
import re

import torch

from maxstate_ref import MaxStateSuper


class InterventionLayer(MaxStateSuper):
    """MaxStateSuper with interventions; `interventions` is a list of dicts {kind, head, position, term}."""

    def __init__(self, original, interventions):
        super().__init__(original.combined.in_features, original.heads, original.variant)
        self.load_state_dict(original.state_dict())
        self.interventions = interventions
        self.record = None  # the last forward's state/source/terms, [1, dh, S, H] each (terms a list)

    def cummax_input(self, c):
        c = c.clone()
        for iv in self.interventions:
            if iv["kind"] == "knockout":
                heads = range(self.heads) if iv["head"] < 0 else [iv["head"]]
                for h in heads:
                    c[:, :, iv["position"], h] = float("-inf")
        return c

    def state_seen(self, e, source):
        e, source = e.clone(), source.clone()
        for iv in self.interventions:
            h, p = iv.get("head"), iv["position"]
            if iv["kind"] == "zero-state":
                e[:, :, p:, h] = 0
                source[:, :, p:, h] = -1
            elif iv["kind"] == "freeze-state":
                e[:, :, p:, h] = e[:, :, p - 1:p, h]
                source[:, :, p:, h] = source[:, :, p - 1:p, h]
        return e, source

    def kept_terms(self, terms):
        terms = [t.clone() for t in terms]
        for iv in self.interventions:
            if iv["kind"] == "drop-term":
                terms[iv["term"] - 1][:, :, iv["position"]:, iv["head"]] = 0
        return terms

    def forward(self, x, state=None):
        assert state is None, "what-if reference runs are parallel runs from position 0"
        b, s, d = x.shape
        a, b_, c, d_ = self.branches(x)
        e, source = torch.cummax(self.cummax_input(c), dim=2)
        e, source = self.state_seen(e, source)
        terms = self.kept_terms(self.terms(a, b_, c, d_, e))  # T4..T6 see the real c
        y = terms[0]
        for t in terms[1:]:
            y = y + t
        self.record = (e, source, terms)
        return y.transpose(1, 2).contiguous().view(b, s, d), e[:, :, -1:]


SPEC = re.compile(r"^(replace|insert):(\d+)=(\d+)$|^(delete):(\d+)$|^(knockout):(\d+)(?:@(\d+)(?:\.(\d+))?)?$|"
                  r"^(zero-state|freeze-state):(\d+)\.(\d+)@(\d+)$|^(drop-term):(\d+)\.(\d+)\.T(\d)(?:@(\d+))?$")


def parse(spec):
    m = SPEC.match(spec)
    if not m:
        raise ValueError(f"not an edit: {spec}")
    g = m.groups()
    if g[0]:
        return {"kind": g[0], "position": int(g[1]), "token": int(g[2])}
    if g[3]:
        return {"kind": "delete", "position": int(g[4])}
    if g[5]:
        return {"kind": "knockout", "position": int(g[6]), "layer": -1 if g[7] is None else int(g[7]),
                "head": -1 if g[8] is None else int(g[8])}
    if g[9]:
        return {"kind": g[9], "layer": int(g[10]), "head": int(g[11]), "position": int(g[12])}
    return {"kind": "drop-term", "layer": int(g[14]), "head": int(g[15]), "term": int(g[16]),
            "position": 0 if g[17] is None else int(g[17])}


def apply_edits(ids, specs):
    """-> (edited ids, base position of each edited position or None, interventions, first affected)."""
    ids, origin = list(ids), list(range(len(ids)))
    interventions, token_positions = [], []
    for spec in specs:
        e = parse(spec)
        p = e["position"]
        if e["kind"] in ("replace", "insert", "delete"):
            if e["kind"] == "replace":
                ids[p] = e["token"]
            elif e["kind"] == "insert":
                ids.insert(p, e["token"])
                origin.insert(p, None)
                for iv in interventions:
                    iv["position"] += iv["position"] >= p
            else:
                del ids[p]
                del origin[p]
                interventions = [iv for iv in interventions if not (iv["kind"] == "knockout" and iv["position"] == p)]
                for iv in interventions:
                    iv["position"] -= iv["position"] > p
            token_positions.append(p)  # later shifts never lower the smallest of these below a later edit's P
        else:
            interventions.append(e)
    first = min(token_positions + [iv["position"] for iv in interventions])
    return ids, origin, interventions, first


def edited_model(model, interventions):
    """A copy of `model` whose layers carry the interventions that concern them."""
    edited = copy.deepcopy(model)
    for n, layer in enumerate(edited.decoder_layers):
        mine = [iv for iv in interventions if iv.get("layer", -1) in (-1, n)]
        layer.self_attention_linear = InterventionLayer(layer.self_attention_linear, mine)
    return edited


def _records(att, x, output):
    rec = lambda t: t[0].permute(1, 2, 0).contiguous()  # [1, dh, S, H] -> [S, H, dh]
    e, source, terms = att.record
    return {"input": x[0], "state": rec(e), "source": rec(source), "terms": torch.stack([rec(t) for t in terms]),
            "output": output[0]}


def run(model, ids, interventions=()):
    """One parallel run with the interventions: (logits [S, V], per-layer records) as `maxstate trace` writes."""
    m = edited_model(model, list(interventions))
    layers = []
    hooks = [layer.self_attention_linear.register_forward_hook(
        lambda mod, inp, out: layers.append(_records(mod, inp[0], out[0]))) for layer in m.decoder_layers]
    logits, _ = m(torch.tensor([ids]))
    for h in hooks:
        h.remove()
    return logits[0], layers


def run_layer(layer, x, interventions):
    """A bare layer (its input x [S, d]) with the interventions of layer 0: its records."""
    att = InterventionLayer(layer, [iv for iv in interventions if iv.get("layer", -1) in (-1, 0)])
    out, _ = att(x[None])
    return _records(att, x[None], out)


def compare(base_logits, edited_logits, origin):
    """KL(P_base || P_edited) per edited position (nats, float64 log-softmax of the float32 logits; None where
    there is no base counterpart), and each run's top-1 token."""
    lb = torch.log_softmax(base_logits.double(), dim=-1)
    le = torch.log_softmax(edited_logits.double(), dim=-1)
    kl, top1_base = [], []
    for t, b in enumerate(origin):
        kl.append(None if b is None else float((lb[b].exp() * (lb[b] - le[t])).sum()))
        top1_base.append(None if b is None else int(base_logits[b].argmax()))
    return kl, top1_base, [int(i) for i in edited_logits.argmax(dim=-1)]


def what_if(model, ids, specs):
    """Everything `maxstate whatif` reports, from the reference: base and edited runs, mapping, KL, top-1."""
    with torch.no_grad():
        edited_ids, origin, interventions, first = apply_edits(ids, specs)
        base_logits, base_layers = run(model, list(ids))
        edited_logits, edited_layers = run(model, edited_ids, interventions)
    kl, top1_base, top1_edited = compare(base_logits, edited_logits, origin)
    return {"ids": edited_ids, "base_of": origin, "interventions": interventions, "first_affected": first,
            "base": {"logits": base_logits, "layers": base_layers},
            "edited": {"logits": edited_logits, "layers": edited_layers},
            "kl": kl, "top1_base": top1_base, "top1_edited": top1_edited}
