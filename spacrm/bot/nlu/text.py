"""The aligned text the parser works on: the NFC original and a same-length matching key.

Rules match on `key` (lower case, no diacritics) but slot values are sliced from `text`, so a
name keeps the spelling the staff member typed. That only works if both strings have the same
length, which is checked here rather than assumed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from spacrm.bot.nlu.glue import unglue
from spacrm.bot.nlu.typos import correct
from spacrm.core.textnorm import nfc, strip_marks

# Enough for any real chat command; keeps a pasted 10,000-character message cheap.
MAX_CHARS = 600

# Words that fold onto a keyword but mean something else. Re-spelling them in the key (same
# length) keeps "gói" (package) from reading as "gọi" (call), "gấp" (urgent) as "gặp" (meet)...
# Only written-with-diacritics forms are listed: without diacritics the reading stays open.
_SENSES: dict[str, str] = {
    "gói": "g0i",
    "gội": "go1",  # not "gói" either: "gói gội đầu" is a package of hair washes
    "gấp": "g4p",
    "thế": "th3",
    "nghĩ": "ngh1",
    "dạ": "d4",
    "một": "m0t",
    "có": "c0",
    "chỉ": "ch1",
    "dùng": "d0ng",
    "đúng": "d0ng",
    "tốn": "t0n",
    "tôn": "t0n",
    "tôi": "t0i",
    "mày": "m4y",  # eyebrow ("phun mày"), not "mấy" (how many)
}
# Compounds whose second word folds onto a keyword: "khuyến mãi" (promotion) holds no "mai"
# (tomorrow); "địa chỉ" (address) is no "chỉ" (only). Re-spelt in the key at the same length.
_COMPOUND_KEYS = {"khuyen mai": "khuyen m4i", "dia ch1": "dia chi"}  # "địa chỉ" is an address
_COMPOUNDS = re.compile(r"(?<![a-z0-9])(?:" + "|".join(_COMPOUND_KEYS) + r")(?![a-z0-9])")
_LETTERS = re.compile(r"[^\W\d_]+")
WORD = re.compile(r"[a-z0-9]+(?:[.,/:@_+\-][a-z0-9]+)*")


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    folded = strip_marks(ch).lower()
    if len(folded) == 1:
        return folded
    # A lone combining mark or an emoji variation selector vanishes; keep a placeholder so
    # offsets still line up.
    return folded[:1] if folded else "~"


def _fold_aligned(text: str) -> str:
    fast = strip_marks(text).lower()
    if len(fast) == len(text):
        return fast
    return "".join(_fold_char(ch) for ch in text)


@dataclass
class Doc:
    """One message: `text` (NFC) and `key` (folded, same length) plus a mask of used chars."""

    text: str
    key: str
    has_marks: bool
    intent_key: str = ""  # the key with every typo fix, even those that change its length
    used: bytearray = field(init=False)

    def __post_init__(self) -> None:
        self.used = bytearray(len(self.text))

    @classmethod
    def of(cls, raw: str) -> Doc:
        text = unglue(nfc(raw.replace("\n", " , ")[: MAX_CHARS * 2]))
        if len(text) > MAX_CHARS:
            # Cut at a space so a phone or a word is not sliced in half.
            cut = text.rfind(" ", 0, MAX_CHARS)
            text = text[: cut if cut > 0 else MAX_CHARS]
        key = list(_fold_aligned(text))
        for m in _LETTERS.finditer(text):
            sense = _SENSES.get(m.group().lower())
            if sense is not None:
                key[m.start() : m.end()] = sense
        folded = _COMPOUNDS.sub(lambda m: _COMPOUND_KEYS[m.group()], "".join(key))
        fixed, intent_key = correct(folded, text)
        return cls(text=text, key=fixed, has_marks=folded != text.lower(), intent_key=intent_key)

    def free(self, start: int, end: int) -> bool:
        return not any(self.used[start:end])

    def take(self, start: int, end: int) -> None:
        self.used[start:end] = b"\x01" * (end - start)

    def find(self, pattern: re.Pattern[str], start: int = 0) -> Iterator[re.Match[str]]:
        """Matches of `pattern` on the key that do not overlap text already used by a slot."""
        for m in pattern.finditer(self.key, start):
            if m.end() > m.start() and self.free(m.start(), m.end()):
                yield m

    def first(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        return next(self.find(pattern), None)

    def has(self, pattern: re.Pattern[str]) -> bool:
        return pattern.search(self.key) is not None

    def words(self) -> list[tuple[int, int]]:
        """Word spans (letters/digits, with inner . , / : @ - joined) on the key."""
        return [(m.start(), m.end()) for m in WORD.finditer(self.key)]

    def clean_slice(self, start: int, end: int) -> str:
        """The original text of a span, without surrounding punctuation and spaces."""
        return self.text[start:end].strip(" ,.;:!?-–—\"'()[]")


def kw(*alternatives: str) -> re.Pattern[str]:
    """A word-bounded alternation over key text (alternatives are regex fragments)."""
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(alternatives) + r")(?![a-z0-9])")
