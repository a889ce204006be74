"""PyTorch reference for MaxState Explorer: the layer and the OpenASH model exactly as SPEC.md states them.

Every number the explorer shows is compared against what these modules compute. Run with Debian's
/usr/bin/python3 (python3-torch).
"""
import torch
import torch.nn as nn


class MaxStateSuper(nn.Module):
    """Both variants: 'seed' (T1..T5, alpha1..alpha4, alpha4 unused) and 'openash' (T1..T6, head_linear)."""

    def __init__(self, dim_size, heads, variant="openash"):
        super().__init__()
        assert dim_size % heads == 0
        self.heads = heads
        self.variant = variant
        self.combined = nn.Linear(dim_size, 4 * dim_size, bias=False)
        self.alpha1 = nn.Parameter(torch.tensor(0.5))
        self.alpha2 = nn.Parameter(torch.tensor(0.5))
        self.alpha3 = nn.Parameter(torch.tensor(0.5))
        if variant == "seed":
            self.alpha4 = nn.Parameter(torch.tensor(0.5))
        else:
            self.head_linear = nn.Linear(5 * heads, heads, bias=False)

    def branches(self, x):
        b, s, d = x.shape
        combined = self.combined(x).view(b, s, 4, self.heads, -1)
        out, out1, out2, out3 = combined.unbind(2)
        return [t.permute(0, 3, 1, 2) for t in (out, out1, out2, out3)]

    def terms(self, a, b, c, d, e):
        t = [a * b, self.alpha1 * b + self.alpha2 * d, a * (self.alpha3 * e + d), b * (c + e), c * e]
        if self.variant == "openash":
            t.append(self.head_linear(torch.cat([a, b, c, d, e], dim=-1)) * e)
        return t

    def gen_model(self, a, b, c, d, e):
        term1 = a * b
        term2 = self.alpha1 * b + self.alpha2 * d
        term3 = a * (self.alpha3 * e + d)
        term4 = b * (c + e)
        y = term1 + term2 + term3 + term4 + c * e
        if self.variant == "openash":
            y = y + self.head_linear(torch.cat([a, b, c, d, e], dim=-1)) * e
        return y

    def forward(self, x, state=None):
        """Parallel over the chunk; with `state` = (values [b, dh, 1, H]) continues after it."""
        b, s, d = x.shape
        a, b_, c, d_ = self.branches(x)
        if state is None:
            e, _ = torch.cummax(c, dim=2)
        else:
            e, _ = torch.cummax(torch.cat([state, c], dim=2), dim=2)
            e = e[:, :, 1:]
        out = self.gen_model(a, b_, c, d_, e)
        out = out.transpose(1, 2).contiguous().view(b, s, d)
        return out, e[:, :, -1:]

    def trace(self, x):
        """Records of one parallel run, in the explorer's layout: state/source [S, H, dh], terms [T, S, H, dh]."""
        a, b_, c, d_ = self.branches(x)
        e, idx = torch.cummax(c, dim=2)
        rec = lambda t: t[0].permute(1, 2, 0).contiguous()
        terms = torch.stack([rec(t) for t in self.terms(a, b_, c, d_, e)])
        return rec(e), rec(idx), terms


class FeedForward(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.ffn1 = nn.Linear(d, d)
        self.gate = nn.Linear(d, d)
        self.ffn2 = nn.Linear(d, d)

    def forward(self, x):
        return self.ffn2(self.ffn1(x) * torch.relu(self.gate(x)))


class DecoderLayer(nn.Module):
    def __init__(self, d, heads, variant):
        super().__init__()
        self.self_attention_linear = MaxStateSuper(d, heads, variant)
        self.ffn = FeedForward(d)
        self.layer_norm = nn.LayerNorm(d)
        self.alpha = nn.Parameter(torch.tensor(0.5))

    def forward(self, x, state=None):
        x1, state = self.self_attention_linear(x, state)
        block = self.layer_norm(self.alpha * self.ffn(x1) + (1 - self.alpha) * x)
        return block + x, state


class OpenAsh(nn.Module):
    def __init__(self, vocab, d, heads, layers, variant="openash"):
        super().__init__()
        self.em = nn.Embedding(vocab, d, padding_idx=0)
        self.decoder_layers = nn.ModuleList([DecoderLayer(d, heads, variant) for _ in range(layers)])
        self.head_score = nn.Linear(d, vocab, bias=False)

    def forward(self, ids, states=None):
        x = self.em(ids)
        states = states or [None] * len(self.decoder_layers)
        new_states = []
        for layer, st in zip(self.decoder_layers, states):
            x, st = layer(x, st)
            new_states.append(st)
        return self.head_score(x), new_states


def randomise_alphas(module, generator):
    """Non-default alphas, so a test notices a swapped or ignored alpha."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            if p.dim() == 0:
                p.copy_(torch.rand((), generator=generator) * 1.5 - 0.25)
