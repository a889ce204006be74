"""The loss of a model on a long text, split at its training length: what the long-context view shows.
Used by tools/train_demo.py --demo zh (recorded in the demo's manifest) and check_demo_models.py."""
import torch
import torch.nn.functional as F


def nll_per_position(model, ids):
    """NLL (nats) of each next token of `ids`, in one pass over the whole sequence."""
    with torch.no_grad():
        logits, _ = model(torch.tensor([ids]))
        return F.cross_entropy(logits[0, :-1], torch.tensor(ids[1:]), reduction="none")


def long_text_nll(model, ids, train_length):
    """Mean NLL of the predictions made at positions before the training length, and at positions after it."""
    nll = nll_per_position(model, ids)
    return {"before_train_length": round(nll[:train_length - 1].mean().item(), 4),
            "after_train_length": round(nll[train_length - 1:].mean().item(), 4)}
