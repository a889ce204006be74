"""Runs the real `maxstate tokenize` (and `maxstate trace` with text) as a user does and compares the ids with the
Python reference of OpenASH's encoder and chat template (tests/reference/openash_encode_ref.py on python3-jieba).

usage: /usr/bin/python3 check_tokenize.py --maxstate BIN --work DIR

Checks: --json prints exactly {"ids", "labels", "tokenizer", "vocabulary"}; the vocabulary is found beside the
checkpoint; --text, --text-file and --chat equal the reference; --tokenizer longest is the longest match; the plain
output is "id<TAB>label" per token; `trace` records in meta.json the ids `tokenize` prints; errors exit 1 (files)
or 2 (usage) with one line saying why. Exit code 77 (skip) when torch or jieba is not installed.
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys

try:
    import numpy as np
    import torch
    import jieba  # noqa: F401
except ImportError as e:  # pragma: no cover
    print(f"skipping: {e} (install python3-torch and python3-jieba)", file=sys.stderr)
    sys.exit(77)

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "reference"))
from maxstate_ref import OpenAsh  # noqa: E402
from make_jieba_golden import CHATS, build_vocab  # noqa: E402
from openash_encode_ref import OpenAshEncoder, encode_chat  # noqa: E402
from vocab_ref import Vocab  # noqa: E402

TEXTS = ["什么是人工智能？", "人工智能AI技术2024年发布", "今天天气很好，我们去公园散步吧。",
         "机器学习是人工智能的一个分支。", "北京欢迎你！Hello, world 123", "𠮷野家的牛肉饭 😀 很好吃",
         "他说：“这是一个测试。”\n第二行\t制表符", "饕餮鳜鱼"]
CORPUS = TEXTS[:5] + ["我们在北京学习人工智能。", "天气预报说明天下雨。"]


class Checker:
    def __init__(self, maxstate, work):
        self.maxstate, self.work = maxstate, work
        self.failures, self.checks = [], 0

    def run(self, *args):
        p = subprocess.run([self.maxstate, *args], capture_output=True, timeout=300)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")

    def expect(self, ok, what, detail=""):
        self.checks += 1
        if not ok:
            self.failures.append(f"{what}: {detail}")
        return ok

    def json_of(self, what, *args):
        code, out, err = self.run("tokenize", *args, "--json")
        if not self.expect(code == 0, what, f"exit {code}: {err.strip()}"):
            return None
        lines = out.strip().split("\n")
        self.expect(len(lines) == 1, what, f"expected one line of JSON, got {len(lines)}")
        try:
            return json.loads(lines[0])
        except ValueError as e:
            self.expect(False, what, f"not JSON: {e}")
            return None

    def error(self, what, code, args, needle):
        got, out, err = self.run(*args)
        lines = [line for line in err.strip().split("\n") if line]
        self.expect(got == code and needle in err and out == "", what,
                    f"exit {got} (want {code}), stderr {err.strip()!r} (want {needle!r})")
        self.expect(len(lines) <= 2, what, f"more than one line of error: {lines}")


def make_model_dir(c):
    """A tiny OpenASH model whose vocabulary (OpenASH's rules, with proxies) sits beside it."""
    import jieba as jb
    folder = os.path.join(c.work, "model")
    os.makedirs(folder, exist_ok=True)
    vocab = build_vocab(CORPUS, [jb.lcut(t) for t in CORPUS], 12, 25, 3, 2, random.Random(5))
    vocab_path = os.path.join(folder, "open_ash_voc_agent.json")
    with open(vocab_path, "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False)
    torch.manual_seed(3)
    model = OpenAsh(len(vocab["token_to_id"]), 16, 2, 2, "openash")
    ckpt = os.path.join(folder, "pretrain_16_2.pth")
    torch.save(model.state_dict(), ckpt)
    return ckpt, vocab_path, vocab


def check_encoding(c, ckpt, vocab_path, vocab):
    enc = OpenAshEncoder(vocab)
    for text in TEXTS:
        j = c.json_of(f"--text {text!r}", ckpt, "--text", text)
        if j is None:
            continue
        c.expect(list(j) == ["ids", "labels", "tokenizer", "vocabulary"], "JSON keys", str(list(j)))
        c.expect(j["ids"] == enc.encode(text), f"ids of {text!r}", f"{j['ids']} vs {enc.encode(text)}")
        c.expect(j["tokenizer"] == "openash" and j["vocabulary"] == vocab_path, f"found vocabulary for {text!r}",
                 f"{j['tokenizer']} {j['vocabulary']}")
        c.expect(len(j["labels"]) == len(j["ids"]), f"labels of {text!r}", str(j["labels"]))
    # The example: jieba cuts 人工智能 as one word, which is no token: OpenASH falls back to characters.
    text = TEXTS[0]
    longest = c.json_of("--tokenizer longest", ckpt, "--text", text, "--tokenizer", "longest")
    if longest:
        c.expect(longest["tokenizer"] == "longest" and longest["ids"] == Vocab(vocab).encode(text),
                 "--tokenizer longest", f"{longest}")
    path = os.path.join(c.work, "text.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(TEXTS))
    j = c.json_of("--text-file", "--vocab", vocab_path, "--text-file", path)
    if j:
        c.expect(j["ids"] == enc.encode("\n".join(TEXTS)), "--text-file", str(j["ids"][:20]))
    for i, chat in enumerate(CHATS):
        path = os.path.join(c.work, f"chat{i}.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(chat, f, ensure_ascii=False)
        j = c.json_of(f"--chat {i}", ckpt, "--chat", path)
        if j:
            c.expect(j["ids"] == encode_chat(enc, chat), f"--chat {i}", f"{j['ids'][:20]}")
    code, out, err = c.run("tokenize", ckpt, "--text", text)
    want = [f"{i}\t{label}" for i, label in zip(enc.encode(text), c.json_of("labels", ckpt, "--text", text)["labels"])]
    c.expect(code == 0 and out.rstrip("\n").split("\n") == want, "plain output", f"{out!r} vs {want!r}")


def check_trace_agrees(c, ckpt):
    text = TEXTS[4]
    j = c.json_of("tokenize before trace", ckpt, "--text", text)
    out = os.path.join(c.work, "trace")
    shutil.rmtree(out, ignore_errors=True)
    code, _, err = c.run("trace", ckpt, "--text", text, "--layer", "0", "--out", out)
    if not c.expect(code == 0, "trace --text", f"exit {code}: {err.strip()}"):
        return
    with open(os.path.join(out, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    c.expect(meta["tokens"] == j["ids"], "trace's tokens equal tokenize's ids", f"{meta['tokens']} vs {j['ids']}")
    c.expect(meta.get("tokenizer") == "openash" and meta["vocabulary"]["path"] == j["vocabulary"],
             "trace's meta.json names tokenizer and vocabulary", str(meta.get("tokenizer")))
    chat = os.path.join(c.work, "chat1.json")
    code, _, err = c.run("trace", ckpt, "--chat", chat, "--layer", "0", "--out", out)
    if c.expect(code == 0, "trace --chat", f"exit {code}: {err.strip()}"):
        with open(os.path.join(out, "meta.json"), encoding="utf-8") as f:
            c.expect(json.load(f)["tokens"] == c.json_of("chat", ckpt, "--chat", chat)["ids"], "trace --chat ids")


def check_errors(c, ckpt, vocab_path):
    w = c.work
    lonely = os.path.join(w, "lonely")
    os.makedirs(lonely, exist_ok=True)
    lonely_ckpt = os.path.join(lonely, "m.pth")
    shutil.copy(ckpt, lonely_ckpt)
    files = {"bad_chat.json": b"[{\"role\": \"user\"", "role.json": b"[{\"role\": \"robot\", \"content\": \"x\"}]",
             "bad_vocab.json": b"{not json", "latin1.txt": "caf\u00e9".encode("latin-1")}
    for name, data in files.items():
        with open(os.path.join(w, name), "wb") as f:
            f.write(data)
    usage = [
        ("no input", [ckpt], "give one input"),
        ("two inputs", [ckpt, "--text", "a", "--text-file", "b"], "give only one input"),
        ("ids are not tokenize's input", [ckpt, "--ids", "1"], "--ids is not an input"),
        ("bad --tokenizer", [ckpt, "--text", "a", "--tokenizer", "bpe"], "openash"),
        ("unknown option", [ckpt, "--text", "a", "--colour", "red"], "--colour"),
        ("two paths", [ckpt, ckpt, "--text", "a"], "PATH"),
        ("empty text", [ckpt, "--text", ""], "empty"),
    ]
    unusable = [
        ("no vocabulary beside", [lonely_ckpt, "--text", "a"], "--vocab"),
        ("missing text file", [ckpt, "--text-file", os.path.join(w, "nope.txt")], "nope.txt"),
        ("text file not UTF-8", [ckpt, "--text-file", os.path.join(w, "latin1.txt")], "latin1.txt"),
        ("corrupt chat", [ckpt, "--chat", os.path.join(w, "bad_chat.json")], "bad_chat.json"),
        ("unknown role", [ckpt, "--chat", os.path.join(w, "role.json")], "robot"),
        ("corrupt vocabulary", [ckpt, "--text", "a", "--vocab", os.path.join(w, "bad_vocab.json")], "bad_vocab.json"),
    ]
    for what, args, needle in usage:
        c.error(what, 2, ["tokenize", *args], needle)
    for what, args, needle in unusable:
        c.error(what, 1, ["tokenize", *args], needle)
    c.error("trace --tokenizer with ids", 2, ["trace", ckpt, "--ids", "1", "--tokenizer", "openash", "--out", w],
            "--tokenizer")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--maxstate", required=True)
    p.add_argument("--work", required=True)
    a = p.parse_args()
    os.makedirs(a.work, exist_ok=True)
    c = Checker(a.maxstate, a.work)
    ckpt, vocab_path, vocab = make_model_dir(c)
    check_encoding(c, ckpt, vocab_path, vocab)
    check_trace_agrees(c, ckpt)
    check_errors(c, ckpt, vocab_path)
    for f in c.failures:
        print("FAIL", f)
    print(f"{c.checks - len(c.failures)} passed, {len(c.failures)} failed")
    return 1 if c.failures else 0


if __name__ == "__main__":
    sys.exit(main())
