"""Reference for SPEC.md section 4: OpenASH vocabularies with proxy groups, greedy longest-match encoding, and
OpenASH's own encoder (jieba segmentation, SPEC 4.1) with its chat template (SPEC 4.2).

Used by tools/train_demo.py (to build the demo vocabularies and tokenise the training texts) and by
make_vocab_golden.py (so the C++ tokeniser is checked against an independent implementation).

File layout (as OpenASH writes it): {"token_to_id": {token: id}, "id_to_token": {"id": token},
"agent_token_to_token_id": {char: key}, "agent_token_id_to_token": {key: char}}. A rare character is written
as 2 proxy ids ts{i} te{j} (key "{i}t{j}") or 3 proxy ids rs{i} rc{j} re{k} (key "{i}t{j}r{k}").
"""
import re

# The first eleven specials of OpenASH, at the ids its models use (<|unk|> = 10).
SPECIALS = ["<|pad|>", "<|im_start|>", "<|im_end|>", "<|think|>", "<|end_think|>", "<|user|>", "<|agent|>",
            "<|system|>", "<|func|>", "<|args|>", "<|unk|>"]
UNK = "<|unk|>"
# The other specials of SPEC 4 (OpenASH's agent vocabulary); placed right after SPECIALS so they stay in the
# leading block of specials. Looked up by name, never by number.
AGENT_SPECIALS = ["<|tools|>", "<|end_tools|>", "<tool_call>", "</tool_call>", "<tool_response>", "</tool_response>"]

_PIECE = re.compile(r"^(ts|te|rs|rc|re)(\d+)$")
_KEY2 = re.compile(r"^(\d+)t(\d+)$")
_KEY3 = re.compile(r"^(\d+)t(\d+)r(\d+)$")


def build_openash(tokens, proxy_chars, two, thr):
    """Vocabulary dict in OpenASH's layout: SPECIALS, then `tokens`, then the proxy pieces; `proxy_chars` take
    the 2-id keys first ("0t0", "0t1", ...), then the 3-id keys, in the order given (OpenASH's order)."""
    assert len(proxy_chars) <= two * two + thr ** 3, "not enough proxy keys"
    pieces = ([f"ts{i}" for i in range(two)] + [f"te{i}" for i in range(two)] + [f"rs{i}" for i in range(thr)] +
              [f"rc{i}" for i in range(thr)] + [f"re{i}" for i in range(thr)])
    token_list = SPECIALS + list(tokens) + pieces
    assert len(set(token_list)) == len(token_list), "duplicate token"
    keys = [f"{i}t{j}" for i in range(two) for j in range(two)]
    keys += [f"{i}t{j}r{k}" for i in range(thr) for j in range(thr) for k in range(thr)]
    agent = dict(zip(proxy_chars, keys))
    return {
        "agent_token_to_token_id": agent,
        "agent_token_id_to_token": {k: c for c, k in agent.items()},
        "token_to_id": {t: i for i, t in enumerate(token_list)},
        "id_to_token": {str(i): t for i, t in enumerate(token_list)},
    }


class Vocab:
    def __init__(self, voc):
        if isinstance(voc, list):  # a plain token list: id = index
            voc = {"token_to_id": {t: i for i, t in enumerate(voc)}}
        self.token_to_id = voc["token_to_id"]
        self.id_to_token = {i: t for t, i in self.token_to_id.items()}
        self.agent_key_to_char = voc.get("agent_token_id_to_token", {})
        first_piece = min([self.token_to_id[p] for p in ("ts0", "rs0") if p in self.token_to_id], default=None)
        self.is_piece = lambda i: (first_piece is not None and i >= first_piece and
                                   _PIECE.match(self.id_to_token[i]) is not None)
        # What text can match: every token except the proxy pieces, plus every proxied character.
        self.matchable = {}
        for char, key in voc.get("agent_token_to_token_id", {}).items():
            self.matchable[char] = self.proxy_ids(key)
        for tok, i in self.token_to_id.items():
            if not self.is_piece(i):
                self.matchable[tok] = [i]
        self.max_len = max(len(t) for t in self.matchable)

    def proxy_ids(self, key):
        m = _KEY3.match(key)
        if m:
            return [self.token_to_id[f"rs{m[1]}"], self.token_to_id[f"rc{m[2]}"], self.token_to_id[f"re{m[3]}"]]
        m = _KEY2.match(key)
        return [self.token_to_id[f"ts{m[1]}"], self.token_to_id[f"te{m[2]}"]]

    def encode(self, text):
        """Greedy longest match over code points; a character nothing matches becomes <|unk|>."""
        ids, p = [], 0
        while p < len(text):
            for n in range(min(self.max_len, len(text) - p), 0, -1):
                hit = self.matchable.get(text[p:p + n])
                if hit is not None:
                    ids += hit
                    p += n
                    break
            else:
                ids.append(self.token_to_id[UNK])
                p += 1
        return ids

    def decode(self, ids):
        out, p = [], 0
        while p < len(ids):
            tok = self.id_to_token[ids[p]]
            if self.is_piece(ids[p]):
                names = [self.id_to_token[i] for i in ids[p:p + 3]]
                kinds = [n[:2] for n in names]
                nums = [n[2:] for n in names]
                if kinds[:3] == ["rs", "rc", "re"]:
                    out.append(self.agent_key_to_char[f"{nums[0]}t{nums[1]}r{nums[2]}"])
                    p += 3
                else:
                    assert kinds[:2] == ["ts", "te"], f"broken proxy group at {p}"
                    out.append(self.agent_key_to_char[f"{nums[0]}t{nums[1]}"])
                    p += 2
            else:
                out.append(tok)
                p += 1
        return "".join(out)


def encode_openash(voc, text):
    """SPEC 4.1, OpenASH's encoder: the one Python reference of it (openash_encode_ref.py, on python3-jieba)."""
    from openash_encode_ref import OpenAshEncoder  # jieba only where it is needed
    return OpenAshEncoder(voc).encode(text)


def encode_chat_openash(voc, messages):
    """SPEC 4.2, OpenASH's chat template (openash_encode_ref.py), ending with the assistant's turn opener."""
    from openash_encode_ref import OpenAshEncoder, encode_chat
    return encode_chat(OpenAshEncoder(voc), messages)

