#!/usr/bin/python3
"""Trains the bundled demo models: small OpenASH-shaped models of both layer variants on the GPL-3 text that
ships with Debian (/usr/share/common-licenses/GPL-3), saving checkpoints along the way in OpenASH's form; with
--demo zh, the Chinese demo instead (tools/demo_zh.py: Tang and Song poems from fortunes-zh, OpenASH's encoder).

usage: /usr/bin/python3 tools/train_demo.py [--demo en|zh] [--out resources/demo] [--steps N]

--demo en (the default) writes into OUT:
  open_ash_voc_agent.json      the vocabulary, in OpenASH's layout (with 2- and 3-id proxy groups)
  openash_stepNNNN.pth         OpenASH-variant checkpoints: torch.save({k: v.half().cpu()}) as OpenASH does
  seed_stepNNNN.pth(.json)     seed-variant checkpoints, with the side file {"heads": H} (heads are not in the shapes)
  demo.txt                     the default text (seen in training, so predictions look sensible)
  demo.json                    the manifest the explorer and the CLI read (see resources/demo/README.md)
--demo zh writes into OUT/zh: open_ash_voc_agent.json, zh_stepNNNN.pth(.json) (side file {"heads", "train_length"}),
  zh_demo.txt, zh_long.txt, zh_long_ids.json, zh_chat.json and its demo.json, and lists "zh" in OUT/demo.json.
Deterministic (fixed seeds, one thread). Takes a few minutes on one core; the machine is shared.
"""
import argparse
import collections
import json
import math
import os
import re
import sys
import time

import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "reference"))
from maxstate_ref import OpenAsh  # noqa: E402
from vocab_ref import Vocab, build_openash  # noqa: E402

TEXT_PATH = "/usr/share/common-licenses/GPL-3"
# The default text: two verbatim pieces of the licence, its title block (whose digits and "J" are proxy groups) and
# its first sentence; together about 120 tokens, within the training length (the state was never trained longer).
DEMO_PIECES = [("GNU GENERAL PUBLIC LICENSE", "2007\n\n"), ("  The GNU General Public License is a free", "works.")]

EN = {"hidden": 96, "heads": 4, "layers": 3, "seq": 128, "batch": 16, "lr": 3e-3}
# The Chinese demo trains on short chunks (its train_length) so that the long demo text shows what happens past it.
ZH = {"hidden": 96, "heads": 4, "layers": 3, "seq": 256, "batch": 8, "lr": 3e-3}
WORDS = 40            # most useful whole words become single tokens (longest match picks them)
SPACES = ["  ", "    ", "        "]  # runs of spaces: the licence is indented
RARE = 10             # characters seen fewer times than this are coded as proxy groups
TWO, THR = 3, 6       # 3*3 two-id keys, then 6**3 three-id keys: the rarest text characters get 3-id groups
# Characters the text lacks but a user may type: proxy groups instead of <|unk|>, as OpenASH does for rare ones.
EXTRA = ([chr(c) for c in range(0xA1, 0x100) if c != 0xAD] + list("‘’“”–—…•€™") +
         [chr(c) for c in range(0x391, 0x3AA) if c != 0x3A2] + [chr(c) for c in range(0x3B1, 0x3CA)] +
         list("中文最大状态模型词表"))
VARIANTS = ["openash", "seed"]


def build_vocabulary(text):
    chars = collections.Counter(text)
    common = sorted((c for c in chars if chars[c] >= RARE), key=lambda c: (-chars[c], c))
    rare = sorted((c for c in chars if chars[c] < RARE), key=lambda c: (-chars[c], c))
    words = collections.Counter(w for w in re.findall(r"[A-Za-z]+", text) if len(w) >= 3)
    best = sorted(words, key=lambda w: (-words[w] * (len(w) - 1), w))[:WORDS]
    return build_openash(common + SPACES + best, rare + [c for c in EXTRA if c not in chars], TWO, THR)


def demo_from(text):
    pieces = []
    for first, last in DEMO_PIECES:
        start = text.index(first)
        pieces.append(text[start:text.index(last, start) + len(last)])
    return "".join(pieces)


def checkpoint_steps(total):
    return sorted({0, total // 10, total * 3 // 10, total})


def train(variant, ids, vocab_size, steps, out, demo_ids, cfg=EN, save_at=None, name=None, side=None):
    """`name` makes a checkpoint's file name from its step; `side` (extra side-file fields) is written for every
    checkpoint when given (else, as before, {"heads": H} for the seed variant only)."""
    save_at = checkpoint_steps(steps) if save_at is None else save_at
    name = name or (lambda step: f"{variant}_step{step:04d}.pth")
    torch.manual_seed(0)
    model = OpenAsh(vocab_size, cfg["hidden"], cfg["heads"], cfg["layers"], variant)
    scalars = [p for p in model.parameters() if p.dim() == 0]
    matrices = [p for p in model.parameters() if p.dim() > 0]
    opt = torch.optim.AdamW([{"params": matrices, "weight_decay": 0.01}, {"params": scalars, "weight_decay": 0.0}],
                            lr=cfg["lr"], betas=(0.9, 0.95))
    warmup = max(1, steps // 20)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warmup) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(s, steps) / steps))))
    data = torch.tensor(ids, dtype=torch.long)
    gen = torch.Generator().manual_seed(1)
    saved, t0, avg = [], time.time(), None
    for step in range(steps + 1):
        if step in save_at:
            saved.append(save(model, variant, name(step), step, out, demo_ids, avg, cfg, side))
        if step == steps:
            break
        seq = cfg["seq"]
        start = torch.randint(0, len(data) - seq - 1, (cfg["batch"],), generator=gen)
        batch = torch.stack([data[s:s + seq + 1] for s in start.tolist()])
        logits, _ = model(batch[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, vocab_size), batch[:, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        avg = loss.item() if avg is None else 0.9 * avg + 0.1 * loss.item()
        if (step + 1) % 25 == 0:
            print(f"{variant} step {step + 1:4d}  loss {avg:.3f}  ({time.time() - t0:.0f} s)", flush=True)
    return saved


def demo_loss(model, demo_ids):
    """Cross entropy on the demo text, computed from the fp16-rounded weights exactly as they are saved."""
    with torch.no_grad():
        logits, _ = model(torch.tensor([demo_ids]))
        return F.cross_entropy(logits[0, :-1], torch.tensor(demo_ids[1:])).item()


def rounded_model(half, variant, cfg):
    """The model as the saved fp16 weights give it (what the explorer and the checks load)."""
    model = OpenAsh(half["em.weight"].shape[0], cfg["hidden"], cfg["heads"], cfg["layers"], variant)
    model.load_state_dict({k: v.float() for k, v in half.items()})
    return model


def save(model, variant, name, step, out, demo_ids, train_loss, cfg, side):
    sd = model.state_dict()
    half = {k: v.half().cpu() for k, v in sd.items()}
    torch.save(half, os.path.join(out, name))
    if side is not None or variant == "seed":
        with open(os.path.join(out, name + ".json"), "w") as f:
            json.dump({"heads": cfg["heads"], **(side or {})}, f)
    loss = demo_loss(rounded_model(half, variant, cfg), demo_ids)
    alphas = [round(sd[f"decoder_layers.0.self_attention_linear.alpha{i}"].item(), 3) for i in (1, 2, 3)]
    print(f"saved {name}: loss on the demo text {loss:.3f}, layer 0 alpha1..3 {alphas}", flush=True)
    entry = {"file": name, "variant": variant, "step": step, "heads": cfg["heads"], "hidden": cfg["hidden"],
             "layers": cfg["layers"], "demo_text_loss": round(loss, 4)}
    if train_loss is not None:
        entry["train_loss"] = round(train_loss, 4)
    return entry


def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)
        f.write("\n")


def more_demos(out):
    """The other demos in OUT: subfolders with their own manifest, listed in OUT/demo.json under "demos"."""
    return sorted(d for d in os.listdir(out) if os.path.isfile(os.path.join(out, d, "demo.json")))


def main_en(args):
    text = open(TEXT_PATH, encoding="utf-8").read()
    demo_text = demo_from(text)
    voc = build_vocabulary(text)
    vocab = Vocab(voc)
    ids = vocab.encode(text)
    assert vocab.decode(ids) == text, "tokenisation does not round-trip"
    demo_ids = vocab.encode(demo_text)
    assert vocab.token_to_id["<|unk|>"] not in ids + demo_ids
    vocab_size = len(voc["token_to_id"])
    print(f"text: {len(text)} characters -> {len(ids)} tokens; vocabulary {vocab_size} ids, "
          f"{len(voc['agent_token_to_token_id'])} proxied characters")

    with open(os.path.join(args.out, "open_ash_voc_agent.json"), "w", encoding="utf-8") as f:
        json.dump(voc, f, ensure_ascii=False, indent=1)
    with open(os.path.join(args.out, "demo.txt"), "w", encoding="utf-8") as f:
        f.write(demo_text)

    checkpoints = []
    for variant in VARIANTS:
        checkpoints += train(variant, ids, vocab_size, args.steps, args.out, demo_ids)
    final = [c["file"] for c in checkpoints if c["variant"] == "openash"][-1]
    manifest = {"default_model": final, "vocabulary": "open_ash_voc_agent.json", "text": "demo.txt",
                "trained_on": TEXT_PATH, "made_by": "tools/train_demo.py", "vocab_size": vocab_size, "checkpoints": checkpoints,
                "name": "en", "title": "English: the GPL-3 licence", "train_length": EN["seq"],
                "demos": more_demos(args.out)}
    write_json(os.path.join(args.out, "demo.json"), manifest)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--demo", choices=["en", "zh"], default="en")
    ap.add_argument("--out", default=os.path.join(ROOT, "resources", "demo"))
    ap.add_argument("--steps", type=int, help="training steps (default: 1000 for en, 240 for zh)")
    args = ap.parse_args()
    args.steps = args.steps or (240 if args.demo == "zh" else 1000)
    torch.set_num_threads(1)  # the build machine is shared
    os.makedirs(args.out, exist_ok=True)
    if args.demo == "zh":
        from demo_zh import main_zh  # needs python3-jieba; the English demo does not
        main_zh(args)
    else:
        main_en(args)


if __name__ == "__main__":
    main()
