"""The Chinese demo's data for tools/train_demo.py --demo zh: Tang and Song poems from Debian's fortunes-zh
(GPL-3.0+), a vocabulary built by OpenASH's rules, and the demo inputs (a short text, a long text, a chat).

Tokenised by OpenASH's own encoder (SPEC 4.1: jieba.lcut, then per word; tests/reference/vocab_ref.py
encode_openash), which is what an OpenASH model is trained on.
"""
import collections
import json
import re

import jieba
from demo_nll import long_text_nll
from vocab_ref import AGENT_SPECIALS, build_openash, encode_openash

FORTUNES = "/usr/share/games/fortunes"
SOURCES = ["tang300", "song100"]  # 313 Tang poems, 95 Song poems (the package's third file is modern prose)
RARE = 6             # characters seen fewer times than this are proxy groups
WORD_MIN = 4         # jieba words seen at least this often are tokens...
WORDS = 200          # ...the ones that save the most ids
TWO, THR = 24, 31    # 24*24 two-id keys for the commoner rare characters, 31**3 three-id keys for the rest
# What a user may type beyond the corpus: every CJK character of the Basic Multilingual Plane (unified
# ideographs, extension A, compatibility ideographs), CJK punctuation, full-width forms and printable ASCII.
BMP_RANGES = [(0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0xF900, 0xFAFF), (0x3000, 0x303F), (0xFF01, 0xFF5E),
              (0x20, 0x7E)]
# Short demo: two poems of Li Bai, verbatim (title, author, text; about 60 ids). The long demo: the first poems
# of tang300 up to this many ids, far beyond the training length.
DEMO_TITLES = ["《夜思》", "《怨情》"]
LONG_IDS = 5000
CHAT = [
    {"role": "system", "content": "你是一位熟读唐诗的助手。"},
    {"role": "user", "content": "请背诵李白的《夜思》。"},
    {"role": "assistant", "content": "床前明月光，疑是地上霜。\n举头望明月，低头思故乡。"},
]
_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")  # the files colour titles and authors for a terminal


def poems(name):
    """The poems of one fortune file, without colour codes, each ending with a newline."""
    with open(f"{FORTUNES}/{name}", encoding="utf-8") as f:
        text = _ESCAPE.sub("", f.read())
    entries = (e.strip("\n") for e in re.split(r"^%$", text, flags=re.M))
    return [e + "\n" for e in entries if e]


def corpus():
    return "".join(p for name in SOURCES for p in poems(name))


def build_vocabulary(text):
    jieba.setLogLevel(60)
    chars = collections.Counter(text)
    common = sorted((c for c in chars if chars[c] >= RARE), key=lambda c: (-chars[c], c))
    rare = sorted((c for c in chars if chars[c] < RARE), key=lambda c: (-chars[c], c))
    words = collections.Counter(w for w in jieba.lcut(text) if len(w) > 1 and not w.isspace())
    best = sorted((w for w in words if words[w] >= WORD_MIN), key=lambda w: (-words[w] * (len(w) - 1), w))[:WORDS]
    known = set(common) | set(rare)
    rest = [chr(c) for lo, hi in BMP_RANGES for c in range(lo, hi + 1) if chr(c) not in known]
    return build_openash(AGENT_SPECIALS + best + common, rare + rest, TWO, THR)


def demo_text():
    by_title = {p.split("\n", 1)[0]: p for p in poems("tang300")}
    return "".join(by_title[t] for t in DEMO_TITLES)


def long_text(voc):
    """Whole poems from the start of tang300 until the text reaches LONG_IDS ids."""
    out, count = [], 0
    for p in poems("tang300"):
        if count >= LONG_IDS:
            break
        out.append(p)
        count += len(encode_openash(voc, p))
    return "".join(out)


def main_zh(args):
    import os
    import time

    import torch
    import train_demo as td
    from vocab_ref import encode_chat_openash

    out = os.path.join(args.out, "zh")
    os.makedirs(out, exist_ok=True)
    t0 = time.time()
    text = corpus()
    voc = build_vocabulary(text)
    ids = encode_openash(voc, text)
    short = demo_text()
    demo_ids = encode_openash(voc, short)
    long = long_text(voc)
    long_ids = encode_openash(voc, long)
    chat_ids = encode_chat_openash(voc, CHAT)
    assert 10 not in ids + demo_ids + long_ids + chat_ids, "unknown characters in the Chinese demo"
    vocab_size = len(voc["token_to_id"])
    print(f"text: {len(text)} characters -> {len(ids)} ids; vocabulary {vocab_size} ids, "
          f"{len(voc['agent_token_to_token_id'])} proxied characters; demo text {len(demo_ids)} ids, "
          f"long text {len(long_ids)} ids, chat {len(chat_ids)} ids ({time.time() - t0:.0f} s)", flush=True)

    td.write_json(os.path.join(out, "open_ash_voc_agent.json"), voc)
    for name, content in (("zh_demo.txt", short), ("zh_long.txt", long)):
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write(content)
    td.write_json(os.path.join(out, "zh_chat.json"), CHAT)
    with open(os.path.join(out, "zh_long_ids.json"), "w", encoding="utf-8") as f:
        json.dump(long_ids, f)
        f.write("\n")

    cfg = td.ZH
    train_length = cfg["seq"]
    checkpoints = td.train("openash", ids, vocab_size, args.steps, out, demo_ids, cfg, sorted({0, args.steps // 3, args.steps}),
                           lambda step: f"zh_step{step:04d}.pth", {"train_length": train_length})
    for c in checkpoints:  # what the long-context view will show: the loss past the training length
        half = torch.load(os.path.join(out, c["file"]))
        c["long_text_nll"] = long_text_nll(td.rounded_model(half, "openash", cfg), long_ids, train_length)
        print(f"{c['file']}: long text NLL {c['long_text_nll']}", flush=True)
    manifest = {"name": "zh", "title": "Chinese: Tang and Song poems", "default_model": checkpoints[-1]["file"],
                "vocabulary": "open_ash_voc_agent.json", "text": "zh_demo.txt", "long_text": "zh_long.txt",
                "chat": "zh_chat.json", "tokenizer": "openash", "text_ids": demo_ids, "chat_ids": chat_ids,
                "long_text_ids": "zh_long_ids.json", "train_length": train_length,
                "trained_on": [f"{FORTUNES}/{n}" for n in SOURCES], "made_by": "tools/train_demo.py --demo zh",
                "vocab_size": vocab_size, "checkpoints": checkpoints}
    td.write_json(os.path.join(out, "demo.json"), manifest)
    top = os.path.join(args.out, "demo.json")  # list this demo in the main manifest, keeping everything else
    if os.path.isfile(top):
        with open(top, encoding="utf-8") as f:
            main_manifest = json.load(f)
        main_manifest["demos"] = td.more_demos(args.out)
        td.write_json(top, main_manifest)
    print(f"done in {time.time() - t0:.0f} s", flush=True)
