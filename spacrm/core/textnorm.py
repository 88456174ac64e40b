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


class _Marks(dict[int, int | None]):
    """For str.translate: a combining mark (category Mn) → None (dropped), any other character →
    itself. Filled as characters are met, so the check is one C lookup per character, not a
    Python call (fold was half an import's row validation). Only the BMP is kept: bounded."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.category(chr(code)) == "Mn" else code
        if code < 0x10000:
            self[code] = kept
        return kept


_MARKS = _Marks()


def strip_marks(text: str) -> str:
    """Remove diacritics, keeping case. đ/Đ have a stroke, not a combining mark, so map them by hand."""
    decomposed = unicodedata.normalize("NFD", text.translate(_STROKE))
    return unicodedata.normalize("NFC", decomposed.translate(_MARKS))


def fold(text: str) -> str:
    """The search key: lower case, no diacritics, single spaces ("Nguyễn  Thị Lan" -> "nguyen thi lan")."""
    if text.isascii():  # nothing to decompose or strip
        return _SPACES.sub(" ", text.lower()).strip()
    return _SPACES.sub(" ", strip_marks(text).lower()).strip()


def fold_words(text: str) -> str:
    """fold() with punctuation turned into spaces, for keyword matching."""
    return _SPACES.sub(" ", _NON_WORD.sub(" ", fold(text))).strip()


# Longest text any inbound adapter passes on; the engines cap lower where they need to.
MAX_INBOUND = 20_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def clean_inbound(text: str | None, limit: int = MAX_INBOUND) -> str | None:
    """What every inbound adapter does to text from outside before anything else sees it.

    NUL and other control bytes (a NUL breaks SQLite search and every PostgreSQL query) and lone
    surrogates (a JSON "\\ud800" cannot be encoded to UTF-8 for the database) are removed, and the
    length is capped. Newlines and tabs stay. None stays None."""
    if text is None:
        return None
    if len(text) > limit:
        text = text[:limit]
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("", text)
    return text
