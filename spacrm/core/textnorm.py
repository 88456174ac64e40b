"""Vietnamese text normalisation: NFC storage form and the folded search key."""

from __future__ import annotations

import re
import unicodedata

_STROKE = str.maketrans({"đ": "d", "Đ": "D"})
_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^0-9a-z@._+\- ]+")


def nfc(text: str) -> str:
    """The storage form: NFC with collapsed whitespace (NFD input from macOS/IMEs compares unequal)."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def strip_marks(text: str) -> str:
    """Remove diacritics, keeping case. đ/Đ have a stroke, not a combining mark, so map them by hand."""
    decomposed = unicodedata.normalize("NFD", text.translate(_STROKE))
    kept = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", kept)


def fold(text: str) -> str:
    """The search key: lower case, no diacritics, single spaces ("Nguyễn  Thị Lan" -> "nguyen thi lan")."""
    return _SPACES.sub(" ", strip_marks(text).lower()).strip()


def fold_words(text: str) -> str:
    """fold() with punctuation turned into spaces, for keyword matching."""
    return _SPACES.sub(" ", _NON_WORD.sub(" ", fold(text))).strip()
