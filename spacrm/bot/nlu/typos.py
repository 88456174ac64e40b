"""One-letter typos in command words ("chuyen khona", "tăg ca", "chuyeen").

Two outputs: replacements that keep the length (a swapped or wrong letter) go into the aligned
key, so slot rules see them too; ones that change it (a missing or extra letter) only go into
the text the intent rules read. Only long, lowercase command words are corrected, so names and
short everyday words are left alone.
"""

from __future__ import annotations

import re

# Command words worth correcting. Short words are too close to everyday words ("nghe", "tanh").
_TARGETS = (
    "chuyen khoan thanh toan tien tang nghi phep them tiem nang cham danh sach bieu thong "
    "tong quan huong lich nhac khach email luong ngung kiem dashboard booking"
).split()
_TARGET_SET = frozenset(_TARGETS)
_LONG = frozenset(t for t in _TARGETS if len(t) >= 5)
_TOKEN = re.compile(r"(?<![a-z0-9])[a-z]+(?![a-z0-9])")


def _deletes(word: str) -> list[str]:
    return [word[:i] + word[i + 1 :] for i in range(len(word))]


# A token missing one letter ("tag" for "tang", "chuyn" for "chuyen").
_MISSING: dict[str, str] = {}
for _t in _TARGETS:
    for _d in _deletes(_t):
        if len(_d) >= 4:
            _MISSING.setdefault(_d, _t)
# A token with one wrong letter at position i shares the same one-letter deletion.
_WRONG: dict[tuple[int, str], str] = {}
for _t in _LONG:
    for _i, _d in enumerate(_deletes(_t)):
        _WRONG.setdefault((_i, _d), _t)
_KNOWN = frozenset(
    "thanh toan tang nghe ngan nhanh tien thong khong trong nhung nguon chuong luon thuong "
    "dang dong duong tuong huong chanh chinh khanh thang gmail hang nhan thanh "
    # Words one letter away from a command word ("hoàn" / "khoản", "lông" / "lương").
    "hoan long lung khac hong khoa khan hach ngun luon tong".split()
)


# Four-letter command words: only a swap of two neighbours is fixed ("lịhc" -> "lich").
_SWAP4 = frozenset("lich nhap xuat giao ngay".split())


def _same_length_fix(token: str) -> str | None:
    for i, d in enumerate(_deletes(token)):
        target = _WRONG.get((i, d))
        if target is not None:
            return target
    for i in range(len(token) - 1):
        swapped = token[:i] + token[i + 1] + token[i] + token[i + 2 :]
        if swapped in _LONG or (len(token) == 4 and swapped in _SWAP4):
            return swapped
    return None


def correct(key: str, text: str) -> tuple[str, str]:
    """(aligned key with same-length fixes, intent text with all fixes)."""
    aligned = list(key)
    pieces: list[str] = []
    last = 0
    for m in _TOKEN.finditer(key):
        token = m.group()
        if token in _TARGET_SET or token in _KNOWN or len(token) < 4:
            continue
        original = text[m.start() : m.end()]
        if not original.islower():
            continue  # capitalised words are names
        if len(token) >= 4 and (fix := _same_length_fix(token)):
            aligned[m.start() : m.end()] = fix
            continue
        fix2 = _MISSING.get(token)
        if fix2 is None and len(token) >= 6:
            fix2 = next((d for d in _deletes(token) if d in _LONG), None)
        if fix2 is not None:
            pieces.append(key[last : m.start()])
            pieces.append(fix2)
            last = m.end()
    fixed_key = "".join(aligned)
    if not pieces:
        return fixed_key, fixed_key
    pieces.append(key[last:])
    intent_text = "".join(pieces)
    # Same-length fixes apply to the intent text too.
    return fixed_key, _merge(fixed_key, key, intent_text)


def _merge(fixed_key: str, key: str, intent_text: str) -> str:
    if fixed_key == key:
        return intent_text
    # Rare: both kinds of typo in one message; re-run the same-length fixes on the intent text.
    out = []
    last = 0
    for m in _TOKEN.finditer(intent_text):
        token = m.group()
        if len(token) >= 5 and token not in _TARGET_SET and token not in _KNOWN:
            fix = _same_length_fix(token)
            if fix:
                out.append(intent_text[last : m.start()])
                out.append(fix)
                last = m.end()
    out.append(intent_text[last:])
    return "".join(out)
