"""Reference for SPEC.md 4.1 and 4.2: OpenASH's encoder and chat template, transcribed from the spec.

Independent of the C++ code and of vocab_ref.py (which is the longest-match tokeniser): the vocabulary is read
from OpenASH's JSON layout directly, words come from python3-jieba's jieba.lcut.
"""
import json
import logging

import jieba

jieba.setLogLevel(logging.WARNING)

UNK_ID = 10  # what OpenASH's encoder writes for a character it cannot code


class OpenAshEncoder:
    def __init__(self, voc):
        self.token_to_id = voc["token_to_id"]
        self.agent = voc.get("agent_token_to_token_id", {})

    def proxy_ids(self, key):
        # "{i}t{j}" -> ts{i} te{j}; "{i}t{j}r{k}" -> rs{i} rc{j} re{k}
        i, rest = key.split("t")
        if "r" in rest:
            j, k = rest.split("r")
            names = [f"rs{i}", f"rc{j}", f"re{k}"]
        else:
            names = [f"ts{i}", f"te{rest}"]
        return [self.token_to_id[n] for n in names]

    def encode_word(self, word):
        if word in self.token_to_id:
            return [self.token_to_id[word]]
        if word in self.agent:
            return self.proxy_ids(self.agent[word])
        out, held = [], []
        for ch in word:
            if ch in self.token_to_id:
                out.append(self.token_to_id[ch])  # a known character goes out at once ...
            elif ch in self.agent:
                held += self.proxy_ids(self.agent[ch])  # ... proxied and unknown ones after the word
            else:
                held.append(UNK_ID)
        return out + held

    def encode(self, text):
        ids = []
        for word in jieba.lcut(text):
            ids += self.encode_word(word)
        return ids


def as_text(value):
    """tool_calls / tools: a string as it is, another JSON value as json.dumps(..., ensure_ascii=False)."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def encode_chat(enc, messages, add_generation_prompt=True):
    """SPEC 4.2; specials looked up by name."""
    sp = lambda name: enc.token_to_id[name]  # noqa: E731
    ids = []
    for m in messages:
        role, content = m["role"], m["content"] or ""
        if role == "system":
            ids += [sp("<|im_start|>"), sp("<|system|>")]
            if content:
                ids += enc.encode(content)
            if m.get("tools"):
                ids += [sp("<|tools|>")] + enc.encode(as_text(m["tools"])) + [sp("<|end_tools|>")]
            ids += [sp("<|im_end|>")]
        elif role == "user":
            ids += [sp("<|im_start|>"), sp("<|user|>")] + enc.encode(content) + [sp("<|im_end|>")]
        elif role == "assistant":
            ids += [sp("<|im_start|>"), sp("<|agent|>")]
            if m.get("reasoning_content"):
                ids += [sp("<|think|>")] + enc.encode(m["reasoning_content"]) + [sp("<|end_think|>")]
            if m.get("tool_calls"):
                ids += [sp("<tool_call>")] + enc.encode(as_text(m["tool_calls"])) + [sp("</tool_call>")]
            if content:
                ids += enc.encode(content)
            ids += [sp("<|im_end|>")]
        elif role == "tool":
            ids += [sp("<|im_start|>"), sp("<tool_response>")] + enc.encode(content)
            ids += [sp("</tool_response>"), sp("<|im_end|>")]
        else:
            raise ValueError(f"unknown role {role!r}")
    if add_generation_prompt:
        ids += [sp("<|im_start|>"), sp("<|agent|>")]
    return ids
