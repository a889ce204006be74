"""PyTorch reference of the long-context statistics (SPEC.md section 6, issue 15), built on maxstate_ref's
modules.

The sequence runs through the model a chunk at a time as SPEC.md section 1 ("State and step-by-step running")
says: each layer continues with cummax(cat([state, c_chunk])) and drops the state's own position, and the source
of a carried value is the global position of the token that set it. With chunk=None the whole sequence is one
parallel run. The statistics are computed from the state e [1, dh, n, H] and its sources exactly as SPEC.md
states them (norms in float64; counts and ages summed exactly, divided in float64), and the loss from a float64
log-softmax of the float32 logits.
"""
import torch


def layer_chunk(att, x, carried, begin):
    """One chunk of a MaxStateSuper layer after `carried` (value, source) or from position 0 (None):
    (output [1, n, d], state e, global sources, the new carried state)."""
    b, n, d = x.shape
    a, b_, c, d_ = att.branches(x)
    if carried is None:
        e, idx = torch.cummax(c, dim=2)
    else:
        value, source = carried
        v, i = torch.cummax(torch.cat([value, c], dim=2), dim=2)
        e, local = v[:, :, 1:], i[:, :, 1:]
        idx = torch.where(local == 0, source.expand_as(local), local + (begin - 1))
    out = att.gen_model(a, b_, c, d_, e).transpose(1, 2).contiguous().view(b, n, d)
    return out, e, idx, (e[:, :, -1:], idx[:, :, -1:])


def chunk_stats(e, idx, begin):
    """[n, H] each: state norm, state max, write rate, source age of positions begin..begin+n."""
    dh, n = e.shape[1], e.shape[2]
    t = torch.arange(begin, begin + n).view(1, 1, n, 1)
    norm = (e.double() ** 2).sum(1).sqrt().float()[0]
    top = e.abs().amax(1)[0]
    write = ((idx == t).sum(1).double() / dh).float()[0]
    age = ((t - idx).sum(1).double() / dh).float()[0]
    return norm, top, write, age


def _bounds(length, chunk):
    chunk = chunk or length
    return [(b, min(b + chunk, length)) for b in range(0, length, chunk)]


def _empty(layers, length, heads):
    return {k: torch.empty(layers, length, heads) for k in ("state_norm", "state_max", "write_rate", "source_age")}


def _store(out, l, begin, stats):
    for k, v in zip(("state_norm", "state_max", "write_rate", "source_age"), stats):
        out[k][l, begin:begin + v.shape[0]] = v


def model_stats(model, ids, chunk=None):
    """Everything `maxstate stats` writes for a model: [L, S, H] arrays and nll [S - 1], as numpy."""
    S, L = len(ids), len(model.decoder_layers)
    H = model.decoder_layers[0].self_attention_linear.heads
    out, nll = _empty(L, S, H), torch.empty(max(S - 1, 0))
    carried = [None] * L
    all_ids = torch.tensor(ids)
    with torch.no_grad():
        for begin, end in _bounds(S, chunk):
            x = model.em(all_ids[begin:end][None])
            for l, layer in enumerate(model.decoder_layers):
                x1, e, idx, carried[l] = layer_chunk(layer.self_attention_linear, x, carried[l], begin)
                _store(out, l, begin, chunk_stats(e, idx, begin))
                block = layer.layer_norm(layer.alpha * layer.ffn(x1) + (1 - layer.alpha) * x)
                x = block + x
            rows = min(end, S - 1) - begin  # positions with a next token
            if rows > 0:
                logp = torch.log_softmax(model.head_score(x)[0, :rows].double(), dim=-1)
                nll[begin:begin + rows] = -logp.gather(1, all_ids[begin + 1:begin + 1 + rows, None])[:, 0].float()
    result = {k: v.numpy() for k, v in out.items()}
    result["nll"] = nll.numpy()
    return result


def layer_stats(layer, x, chunk=None):
    """A bare layer on its input x [S, d]: the [1, S, H] arrays."""
    S = x.shape[0]
    out = _empty(1, S, layer.heads)
    carried = None
    with torch.no_grad():
        for begin, end in _bounds(S, chunk):
            _, e, idx, carried = layer_chunk(layer, x[None, begin:end], carried, begin)
            _store(out, 0, begin, chunk_stats(e, idx, begin))
    return {k: v.numpy() for k, v in out.items()}


def stats_from_sources(source, length):
    """write rate and source age [S, H] from a trace's source.npy [S, H, dh] (numpy), as SPEC.md defines them."""
    import numpy as np
    t = np.arange(length).reshape(-1, 1, 1)
    dh = source.shape[2]
    write = ((source == t).sum(2).astype(np.float64) / dh).astype(np.float32)
    age = ((t - source).sum(2).astype(np.float64) / dh).astype(np.float32)
    return write, age


def branch_c(model, ids):
    """Per layer, branch c [1, dh, S, H] of one parallel run: what the running max sees (to find ties)."""
    cs = []
    with torch.no_grad():
        x = model.em(torch.tensor([ids]))
        for layer in model.decoder_layers:
            att = layer.self_attention_linear
            cs.append(att.branches(x)[2])
            x1, _ = att(x)
            x = layer.layer_norm(layer.alpha * layer.ffn(x1) + (1 - layer.alpha) * x) + x
    return cs


def tied(c, l, t, h, rel=1e-5):
    """Whether some channel's running max at t is reached (within rel) by two positions <= t: a tie that
    projections rounded differently may break either way."""
    v = c[l][0, :, :t + 1, h]  # [dh, t + 1]
    top = v.max(dim=1, keepdim=True).values
    return bool(((top - v <= rel * top.abs().clamp(min=1)).sum(dim=1) >= 2).any())
