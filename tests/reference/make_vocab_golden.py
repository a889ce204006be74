"""Writes texts and the ids the reference tokeniser (vocab_ref.py) gives them, for the C++ vocabulary tests.

usage: /usr/bin/python3 make_vocab_golden.py OUT_DIR
Writes OUT_DIR/cases.json: [{"vocabulary": path relative to the repository, "text": ..., "ids": [...]}].
The texts cover the whole demo training text, the demo text, proxied characters of both group sizes, unknown
characters and specials.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from vocab_ref import Vocab  # noqa: E402

DEMO_VOCAB = "resources/demo/open_ash_voc_agent.json"
TEXTS = {
    DEMO_VOCAB: [
        "Ωmega café — “quoted” 中文 … ÿ¡ and αβγ: the Program's License\tis   free.",
        "<|im_start|><|user|>Version 3, 29 June 2007, Jörg & Zoë 😀<|im_end|>",
        "JXQ8 `K` 3769 45 ÀÁÂÃÄÅÆÇ ×÷ ΑΒΓΔ ωψχ 最大状态模型词表 €™•",
        "", " ", "\n\n\n", "\u3000\u00a0",
    ],
    "tests/data/vocab/tiny_openash.json": ["abcabab 😀龘\u3000ßΩ\t<|im_end|>ts0 te0zz中é", "qqq"],
    "tests/data/vocab/tiny_chars.json": ["hello\nhell ollo wörld <|pad|>"],
}


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    texts = {k: list(v) for k, v in TEXTS.items()}
    with open(os.path.join(ROOT, "resources/demo/demo.txt"), encoding="utf-8") as f:
        texts[DEMO_VOCAB].append(f.read())
    if os.path.exists("/usr/share/common-licenses/GPL-3"):  # the text the demo models were trained on
        with open("/usr/share/common-licenses/GPL-3", encoding="utf-8") as f:
            texts[DEMO_VOCAB].append(f.read())
    cases = []
    for path, items in texts.items():
        with open(os.path.join(ROOT, path), encoding="utf-8") as f:
            vocab = Vocab(json.load(f))
        for text in items:
            ids = vocab.encode(text)
            assert vocab.decode(ids) == text or vocab.token_to_id.get("<|unk|>") in ids
            cases.append({"vocabulary": path, "text": text, "ids": ids})
    with open(os.path.join(out_dir, "cases.json"), "w", encoding="utf-8") as f:
        json.dump(cases, f, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
