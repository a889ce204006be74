"""Checks the shipped demo (resources/demo, made by tools/train_demo.py) with the PyTorch reference: every
checkpoint listed in demo.json is an fp16 OpenASH state dict that loads strictly into the reference model of its
variant, its vocabulary matches the embedding, its loss on the demo text is what the manifest says, and training
moved the loss and the alphas and beat a bigram table on the demo text. The other demos its "demos" list names
(the Chinese one, demo/zh) are checked the same way, with their texts' ids against OpenASH's encoder (SPEC 4.1,
python3-jieba) and their loss on the long text before and past the training length.

usage: /usr/bin/python3 check_demo_models.py [OUT_DIR]    (exit 77 when torch, or jieba for the Chinese demo, is missing)
With OUT_DIR, also writes the reference numbers for tests/core/test_demo_models.cpp: OUT_DIR/cases.json (the demo
text's ids, per checkpoint its file) and OUT_DIR/<checkpoint>.logits.npy (float32 [S, V]).
"""
import collections
import json
import math
import os
import sys

try:
    import numpy as np
    import torch
    import torch.nn.functional as F
except ModuleNotFoundError as e:  # pragma: no cover
    if e.name not in ("torch", "numpy"):  # only a missing reference skips; a broken installation fails
        raise
    print(f"skipping: {e} (install python3-torch)", file=sys.stderr)
    sys.exit(77)

HERE = os.path.dirname(os.path.abspath(__file__))
DEMO = os.path.join(os.path.dirname(os.path.dirname(HERE)), "resources", "demo")
sys.path.insert(0, HERE)
from maxstate_ref import OpenAsh  # noqa: E402
from vocab_ref import Vocab, encode_chat_openash, encode_openash  # noqa: E402


def bigram_top1(vocab, training_text, ids):
    """Top-1 accuracy on `ids` of the most frequent successor of each token in the training text: the bar a model
    that uses more than the previous token must clear."""
    with open(training_text, encoding="utf-8") as f:
        train = vocab.encode(f.read())
    following = collections.defaultdict(collections.Counter)
    for a, b in zip(train, train[1:]):
        following[a][b] += 1
    hits = sum(bool(following[a]) and following[a].most_common(1)[0][0] == b for a, b in zip(ids, ids[1:]))
    return hits / (len(ids) - 1)


def main(out_dir=None):
    torch.set_num_threads(1)
    torch.set_grad_enabled(False)
    manifest = json.load(open(os.path.join(DEMO, "demo.json"), encoding="utf-8"))
    vocab = Vocab(json.load(open(os.path.join(DEMO, manifest["vocabulary"]), encoding="utf-8")))
    text = open(os.path.join(DEMO, manifest["text"]), encoding="utf-8").read()
    ids = torch.tensor([vocab.encode(text)])
    assert vocab.token_to_id["<|unk|>"] not in ids[0].tolist(), "the demo text has unknown characters"
    by_variant = {}
    for c in manifest["checkpoints"]:
        path = os.path.join(DEMO, c["file"])
        sd = torch.load(path, map_location="cpu")
        assert type(sd) is dict, f"{c['file']}: OpenASH saves a plain dict, not {type(sd)}"
        assert all(v.dtype == torch.float16 for v in sd.values()), f"{c['file']}: not all fp16"
        if c["variant"] == "seed":
            assert json.load(open(path + ".json"))["heads"] == c["heads"], f"{c['file']}: side file disagrees"
            assert not any(k.endswith("head_linear.weight") for k in sd)
        vocab_size = sd["em.weight"].shape[0]
        assert vocab_size == len(vocab.token_to_id), f"{c['file']}: {vocab_size} embeddings for {len(vocab.token_to_id)} ids"
        model = OpenAsh(vocab_size, c["hidden"], c["heads"], c["layers"], c["variant"])
        model.load_state_dict({k: v.float() for k, v in sd.items()}, strict=True)
        logits, _ = model(ids)
        loss = F.cross_entropy(logits[0, :-1], ids[0, 1:]).item()
        top1 = (logits[0, :-1].argmax(-1) == ids[0, 1:]).float().mean().item()
        alpha1 = sd["decoder_layers.0.self_attention_linear.alpha1"].item()
        print(f"{c['file']}: loss on the demo text {loss:.3f}, top-1 {top1:.2f}, layer 0 alpha1 {alpha1:.3f}")
        assert abs(loss - c["demo_text_loss"]) < 2e-3, f"{c['file']}: loss {loss} but the manifest says {c['demo_text_loss']}"
        by_variant.setdefault(c["variant"], []).append((c["step"], loss, top1, alpha1))
        if out_dir:
            os.makedirs(out_dir, exist_ok=True)
            np.save(os.path.join(out_dir, c["file"] + ".logits.npy"), logits[0].numpy())
    assert sorted(by_variant) == ["openash", "seed"], sorted(by_variant)
    bigram = bigram_top1(vocab, manifest["trained_on"], ids[0].tolist())
    print(f"a bigram table of the training text predicts {bigram:.0%} of the demo text")
    for variant, runs in by_variant.items():
        first, last = runs[0], runs[-1]
        assert first[0] == 0 and first[3] == 0.5, f"{variant}: the first checkpoint is not the initial model"
        assert last[1] < first[1] - 2.0, f"{variant}: loss went from {first[1]:.3f} only to {last[1]:.3f}"
        assert last[2] > bigram, f"{variant}: top-1 {last[2]:.0%} is no better than a bigram table's {bigram:.0%}"
        assert abs(last[3] - 0.5) > 0.05, f"{variant}: alpha1 did not move in training"
    if out_dir:
        with open(os.path.join(out_dir, "cases.json"), "w", encoding="utf-8") as f:
            json.dump({"ids": ids[0].tolist(), "checkpoints": [c["file"] for c in manifest["checkpoints"]]}, f)
    print("demo models OK")
    for name in manifest.get("demos", []):
        check_openash_demo(os.path.join(DEMO, name))


def read(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f) if path.endswith(".json") else f.read()


def check_openash_demo(folder):
    """A demo coded by OpenASH's encoder (the Chinese one): its ids are the reference encoder's, its checkpoints
    are fp16 OpenASH models with {"heads", "train_length"} side files, and the trained model predicts its demo
    text far better than chance."""
    try:
        import jieba  # noqa: F401
    except ImportError as e:
        print(f"skipping {folder}: {e} (install python3-jieba)", file=sys.stderr)
        sys.exit(77)
    from demo_nll import long_text_nll
    m = read(os.path.join(folder, "demo.json"))
    voc = read(os.path.join(folder, m["vocabulary"]))
    assert m["tokenizer"] == "openash", m["tokenizer"]
    text_ids = encode_openash(voc, read(os.path.join(folder, m["text"])))
    assert m["text_ids"] == text_ids, f"{folder}: text_ids are not what OpenASH's encoder makes of the text"
    assert m["chat_ids"] == encode_chat_openash(voc, read(os.path.join(folder, m["chat"]))), "chat_ids differ"
    long_ids = encode_openash(voc, read(os.path.join(folder, m["long_text"])))
    assert read(os.path.join(folder, m["long_text_ids"])) == long_ids, "the long text's ids differ"
    train_length = m["train_length"]
    assert len(long_ids) > 10 * train_length, f"the long text has only {len(long_ids)} ids"
    uniform = math.log(len(voc["token_to_id"]))
    ids = torch.tensor([text_ids])
    losses = []
    for c in m["checkpoints"]:
        path = os.path.join(folder, c["file"])
        sd = torch.load(path, map_location="cpu")
        assert type(sd) is dict and all(v.dtype == torch.float16 for v in sd.values()), f"{c['file']}: not OpenASH's form"
        assert read(path + ".json") == {"heads": c["heads"], "train_length": train_length}, f"{c['file']}: side file"
        model = OpenAsh(sd["em.weight"].shape[0], c["hidden"], c["heads"], c["layers"], c["variant"])
        model.load_state_dict({k: v.float() for k, v in sd.items()}, strict=True)
        logits, _ = model(ids)
        loss = F.cross_entropy(logits[0, :-1], ids[0, 1:]).item()
        top1 = (logits[0, :-1].argmax(-1) == ids[0, 1:]).float().mean().item()
        nll = long_text_nll(model, long_ids, train_length)
        print(f"{c['file']}: loss on the demo text {loss:.3f} (uniform {uniform:.3f}), top-1 {top1:.2f}; long text "
              f"NLL before {train_length} tokens {nll['before_train_length']:.3f}, after {nll['after_train_length']:.3f}")
        assert abs(loss - c["demo_text_loss"]) < 2e-3, f"{c['file']}: loss {loss} but the manifest says {c['demo_text_loss']}"
        for k, v in nll.items():
            assert abs(v - c["long_text_nll"][k]) < 2e-3, f"{c['file']}: long text {k} {v}, manifest {c['long_text_nll'][k]}"
        losses.append(loss)
    assert m["checkpoints"][0]["step"] == 0 and losses[0] > uniform - 1.0, "the first checkpoint is not the initial model"
    assert losses[-1] < uniform - 3.0, f"{folder}: loss {losses[-1]:.3f} is not well below uniform ({uniform:.3f})"
    print(f"{os.path.basename(folder)} demo OK")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
