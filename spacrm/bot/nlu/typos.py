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
    "tong quan huong lich nhac khach email luong ngung kiem dashboard booking excel xuat duyet "
    "phieu"
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
    "hoan long lung khac hong khoa khan hach ngun luon tong khuyen".split()
)


# A well-formed Vietnamese syllable (folded) is a word of its own, not a typo: "thùng" is no
# "thông", "khuyến" no "chuyển", "lông" no "lương", "khoảng" no "khoản". Only strings no
# Vietnamese word is spelt like ("khona", "lihc", "chuyn") are corrected.
_RHYMES = (
    "a ac ach ai am an ang anh ao ap at au ay e ec ech em en eng enh ep et eo eu i ia ich iec iem "
    "ien iep iet ieu im in inh ip it iu o oa oac oach oai oam oan oang oanh oao oap oat oay oc oe "
    "ieng oen oeo oet oi om on ong oong op ot u ua uan uang uanh uat uay uc ue uech uen uenh uet ui um "
    "un ung uo uoc uoi uom uon uong uop uot uou up ut uu uy uya uych uyen uyet uynh uyt uyu y yen "
    "yet yeu yem"
).split()
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?(?:"
    + "|".join(sorted(_RHYMES, key=len, reverse=True))
    + r")"
)


def _is_syllable(token: str) -> bool:
    return _SYLLABLE.fullmatch(token) is not None


# Four-letter command words: only a swap of two neighbours is fixed ("lịhc" -> "lich").
_SWAP4 = frozenset("lich nhap xuat giao ngay phep".split())


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
        if token in _TARGET_SET or token in _KNOWN or len(token) < 4 or _is_syllable(token):
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
        if fix2 is None and len(token) == 5:  # one letter too many: "phepp", "lichh"
            fix2 = next((d for d in _deletes(token) if d in _SWAP4), None)
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
