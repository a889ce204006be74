"""Golden data for OpenASH's tokeniser: jieba.lcut's words, the encoder's ids (SPEC.md 4.1) and the chat
template's ids (SPEC.md 4.2), all from python3-jieba and openash_encode_ref.py.

usage: /usr/bin/python3 make_jieba_golden.py OUT_DIR
Writes OUT_DIR/segmentation.json {"texts": [...], "words": [[...], ...]}; vocab_wide.json and vocab_narrow.json
(OpenASH-layout vocabularies built by OpenASH's rules from the corpus); encoding.json {"wide": [[ids]...],
"narrow": [...]} for the same texts; chat/*.json conversations with chat.json [{"file", "vocab", "ids"}]; and
dumps.json [[json text, json.dumps(value, ensure_ascii=False)], ...].
The corpus: Debian's fortunes-zh (exit 77 when it is not installed), the seed article in tests/data/jieba and
generated mixes of Chinese, Latin words, digits, punctuation, whitespace runs, emoji, characters outside the BMP
and full-width forms.
"""
import collections
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
try:
    import jieba  # noqa: E402
    from openash_encode_ref import OpenAshEncoder, encode_chat  # noqa: E402
except ImportError as e:
    print(f"python3-jieba is missing ({e}): apt-get install python3-jieba (tools/dev does)", file=sys.stderr)
    sys.exit(77)

FORTUNES = ["/usr/share/games/fortunes/chinese.u8", "/usr/share/games/fortunes/tang300.u8",
            "/usr/share/games/fortunes/song100.u8"]
SEED = os.path.join(ROOT, "tests/data/jieba/seed_article.txt")

SPECIALS = ["<|pad|>", "<|im_start|>", "<|im_end|>", "<|think|>", "<|end_think|>", "<|user|>", "<|agent|>",
            "<|system|>", "<|func|>", "<|args|>", "<|unk|>", "<|tools|>", "<|end_tools|>", "<tool_call>",
            "</tool_call>", "<tool_response>", "</tool_response>"]

LATIN = ["hello", "World", "C++", "C#", "node.js", "3.14%", "v1.2.3", "a.5b", "100%", "x-y_z", "AT&T", "#tag",
         "e.g.", "iPhone15", "GPT-4o", "2024年", "R&D", "50.5%的", "ts0", "te1", "rs2", "0t1", "OK", "..", "1.",
         ".5", "a.b.c", "__init__", "--flag", "+-+", "%%", "%d", "1e-5", "0x1F"]
PUNCT = list("，。！？、；：“”‘’（）《》【】…—·「」『』") + list("!?,;:'\"()[]{}<>/\\|@$^*=~`") + ["……", "——"]
SPACE = [" ", "  ", "   ", "\t", "\t\t", "\r\n", "\n", "\r", "\r\r\n", "\n\r", "\r\n\r\n", "\u3000", "\u00a0",
         "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\u2028", "\u2029", "\u200b", "\u202f", "\ufeff", " \r\n "]
EMOJI = ["😀", "👍🏽", "👨‍👩‍👧", "🇨🇳", "❤️", "🤖", "✨", "☃"]
OTHER = ["𠀀", "𪚥", "𝔘𝔫𝔦", "𠮷野家", "鿖鿗", "㐀㐁", "豈", "ひらがな", "カタカナ", "한국어", "Ωμέγα", "café",
         "ＡＢＣ１２３", "，！？", "ｈｅｌｌｏ", "〇", "\u4dff\u4e00\u9fd5\u9fd6", "①②", "½", "٣٤", "१२", "\x1b[32m"]


def read_lines(path):
    with open(path, encoding="utf-8", newline="") as f:
        return f.read().split("\n")


def generated(chinese, rng, count):
    han = [chr(c) for c in range(0x4E00, 0x9FD6)]
    out = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 12)):
            kind = rng.random()
            if kind < 0.35:
                line = rng.choice(chinese)
                a = rng.randrange(len(line) + 1)
                parts.append(line[a:a + rng.randint(1, 20)])
            elif kind < 0.45:
                parts.append("".join(rng.choice(han) for _ in range(rng.randint(1, 8))))  # rare characters too
            elif kind < 0.6:
                parts.append(rng.choice(LATIN))
            elif kind < 0.7:
                parts.append(rng.choice(PUNCT))
            elif kind < 0.8:
                parts.append(rng.choice(SPACE))
            elif kind < 0.87:
                parts.append(rng.choice(EMOJI))
            elif kind < 0.95:
                parts.append(rng.choice(OTHER))
            else:
                parts.append(str(rng.randint(0, 10 ** rng.randint(1, 8))))
        out.append("".join(parts))
    return out


def corpus():
    missing = [p for p in FORTUNES if not os.path.exists(p)]
    if missing:
        print(f"fortunes-zh is missing ({missing[0]}): apt-get install fortunes-zh (tools/dev does)",
              file=sys.stderr)
        sys.exit(77)
    lines = []
    for path in FORTUNES:
        lines += read_lines(path)
    with open(SEED, encoding="utf-8", newline="") as f:
        seed = f.read()
    lines += seed.split("\n") + [seed]
    with open(FORTUNES[1], encoding="utf-8", newline="") as f:  # whole multi-line entries too
        lines += f.read().split("%\n")[:100]
    chinese = [line for line in lines if any("\u4e00" <= c <= "\u9fd5" for c in line)]
    return lines + generated(chinese, random.Random(12), 8000) + [
        "", " ", "\r\n", "什么是人工智能？", "人工智能AI技术2024年发布", "<|im_start|><|user|>你好<|im_end|>"]


def build_vocab(texts, words_of, n_words, n_chars, two, thr, rng, extra_agent=()):
    """OpenASH's rules: frequent jieba words and characters as tokens, the next characters as 2-id proxies,
    then as 3-id proxies; the rest stay unknown (id 10)."""
    word_count, char_count = collections.Counter(), collections.Counter()
    for words in words_of:
        for w in words:
            if len(w) > 1:
                word_count[w] += 1
            char_count.update(w)
    chars = [c for c, _ in char_count.most_common()]
    tokens = [w for w, _ in word_count.most_common(n_words)] + chars[:n_chars]
    tokens = list(dict.fromkeys(t for t in tokens if t not in SPECIALS))
    proxied = [c for c in chars[n_chars:] if c not in tokens][: two * two + thr ** 3 - len(extra_agent)]
    proxied = list(extra_agent) + proxied
    pieces = ([f"ts{i}" for i in range(two)] + [f"te{i}" for i in range(two)] + [f"rs{i}" for i in range(thr)] +
              [f"rc{i}" for i in range(thr)] + [f"re{i}" for i in range(thr)])
    token_list = SPECIALS + [t for t in tokens if t not in pieces] + pieces
    keys = [f"{i}t{j}" for i in range(two) for j in range(two)]
    keys += [f"{i}t{j}r{k}" for i in range(thr) for j in range(thr) for k in range(thr)]
    rng.shuffle(keys)  # keys of both sizes among frequent and rare characters alike
    agent = dict(zip(proxied, keys))
    return {
        "token_to_id": {t: i for i, t in enumerate(token_list)},
        "id_to_token": {str(i): t for i, t in enumerate(token_list)},
        "agent_token_to_token_id": agent,
        "agent_token_id_to_token": {k: c for c, k in agent.items()},
    }


CHATS = [
    [{"role": "user", "content": "什么是人工智能？"}],
    [{"role": "system", "content": "你是一个乐于助人的助手。"},
     {"role": "user", "content": "请介绍一下北京。\n谢谢！"},
     {"role": "assistant", "content": "北京是中国的首都。", "reasoning_content": "用户想了解北京，我应该简要介绍。"},
     {"role": "user", "content": "还有呢？"}],
    [{"role": "system", "content": "",
      "tools": [{"type": "function", "function": {"name": "get_weather", "description": "查询天气 \"城市\"\t\\n",
                                                  "parameters": {"type": "object", "required": ["city"],
                                                                 "properties": {"city": {"type": "string"}}}}}]},
     {"role": "user", "content": "上海今天天气怎么样？"},
     {"role": "assistant", "content": "", "reasoning_content": "需要调用工具。",
      "tool_calls": [{"name": "get_weather", "arguments": {"city": "上海", "days": 1, "ratio": 0.5,
                                                             "big": 1e20, "tiny": 1e-7, "ok": True, "x": None}}]},
     {"role": "tool", "content": "{\"temp\": 21.5, \"sky\": \"晴\"}"},
     {"role": "assistant", "content": "上海今天晴，21.5度。"}],
    [{"role": "system", "content": "Tools as a string.", "tools": "get_time(): 现在几点"},
     {"role": "assistant", "content": None, "tool_calls": "get_time()"},
     {"role": "tool", "content": "12:00 😀"},
     {"role": "assistant", "content": "现在是中午12点。", "reasoning_content": "", "tool_calls": []}],
    [{"role": "system", "content": "no tools", "tools": None},
     {"role": "user", "content": ""},
     {"role": "assistant", "content": "𠮷野家 Ωmega\r\n  tabs\there"}],
]

DUMPS = [[1, 2.5, -0.0, 1e16, 1e15, 123456789012345678, 0.1, 1e-4, 1e-5, 3.0e-310, 1.7976931348623157e308],
         {"b": "引号\"和\\反斜杠", "a": "\x01\x1f\x7f\u2028", "c": [], "d": {}, "e": True, "f": None},
         "纯字符串", 0, -42, 12345.678, [[[]]]]


def main(out_dir):
    os.makedirs(os.path.join(out_dir, "chat"), exist_ok=True)
    jieba.dt.tmp_dir = out_dir  # its cache goes beside the golden data, not into /tmp
    texts = corpus()
    words = [jieba.lcut(t) for t in texts]
    dump = lambda name, obj: json.dump(obj, open(os.path.join(out_dir, name), "w", encoding="utf-8"),  # noqa
                                       ensure_ascii=False)
    dump("segmentation.json", {"texts": texts, "words": words})
    rng = random.Random(7)
    vocabs = {"wide": build_vocab(texts, words, 6000, 2500, 24, 14, rng, extra_agent=["人工智能"]),
              "narrow": build_vocab(texts, words, 150, 400, 10, 12, rng)}
    encoding = {}
    for name, voc in vocabs.items():
        dump(f"vocab_{name}.json", voc)
        enc = OpenAshEncoder(voc)
        encoding[name] = [enc.encode(t) for t in texts]
    dump("encoding.json", encoding)
    chats = []
    for i, conversation in enumerate(CHATS):
        file = f"chat/{i:02d}.json"
        dump(file, conversation)
        with open(os.path.join(out_dir, file), encoding="utf-8") as f:
            conversation = json.load(f)  # exactly what the C++ side reads
        for name, voc in vocabs.items():
            chats.append({"file": file, "vocab": name, "ids": encode_chat(OpenAshEncoder(voc), conversation)})
    dump("chat.json", chats)
    dump("dumps.json", [[json.dumps(v), json.dumps(v, ensure_ascii=False)] for v in DUMPS])
    print(f"{len(texts)} texts, {sum(map(len, words))} words")


if __name__ == "__main__":
    main(sys.argv[1])
