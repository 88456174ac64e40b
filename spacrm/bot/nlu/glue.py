"""Glued and half-typed tokens, fixed on the raw text before it is folded.

Staff type fast: "chuyen khoan1tr5" (a word glued to an amount), "datlich" / "dagoi" (two command
words without the space), "goij" (a Telex tone key that the keyboard did not convert). Each fix
only inserts a space or drops the stray tone key, and only next to a command word, so names and
ordinary words are left as typed.
"""

from __future__ import annotations

import re

from spacrm.core.textnorm import strip_marks

# Letters glued to digits: split, except codes that are written that way ("HD2026", "Q1", "T7").
_LETTERS_DIGITS = re.compile(r"(?<![\w.])([^\W\d_]{2,})(\d)")
_KEEP_GLUED = frozenset("hd dh pt cn cs sn vnd".split())
# Two command words written as one ("datlich" = "dat lich").
_FIRST = frozenset(
    "da dat vua xem huy doi chuyen them tao tang xin nhap xuat hoan ghi len ds tra goi nhac "
    "nghi duyet".split()
)
_SECOND = frozenset(
    "lich goi gap hen khoan tien ca nghi phep kho don tac chu khach kh mail email gia roi".split()
)
# Command words that a stray Telex tone key may follow ("goij", "lichj", "hens").
_TONE_STEMS = frozenset(
    "goi gap lich hen dat huy doi xem them nghi tang chuyen khoan gui don ban mua xong toi den "
    "tac phep kho duyet nhap xuat".split()
)
_TONE_KEYS = frozenset("sfrxj")
_SPACED_TOKEN = re.compile(r"\S+")
# Lowercase words, diacritics allowed ("đãgọi"): matched on their folded spelling.
_WORD = re.compile(r"(?<![\w@./])[^\W\d_]{4,}(?![\w@./])")


def _split_digits(m: re.Match[str]) -> str:
    letters = m.group(1)
    if strip_marks(letters).lower() in _KEEP_GLUED:
        return m.group(0)
    return f"{letters} {m.group(2)}"


def _fix_word(m: re.Match[str]) -> str:
    word = m.group()
    folded = strip_marks(word).lower()
    first = m.string[: m.start()].strip() == ""  # "Đãgọi ..." opens the message: no name
    if len(folded) != len(word) or not (word.islower() or (first and word[1:].islower())):
        return word
    for cut in range(2, len(word) - 1):
        if folded[:cut] in _FIRST and folded[cut:] in _SECOND:
            return f"{word[:cut]} {word[cut:]}"
    if folded[-1] in _TONE_KEYS and folded[:-1] in _TONE_STEMS and word.isascii():
        return word[:-1]
    return word


def _token(m: re.Match[str]) -> str:
    token = m.group()
    if "@" in token or "/" in token or "://" in token:
        return token  # an email or a link keeps its digits
    return _LETTERS_DIGITS.sub(_split_digits, token)


def unglue(text: str) -> str:
    """`text` with glued command words and stray tone keys fixed (the rest is untouched)."""
    text = _SPACED_TOKEN.sub(_token, text)
    return _WORD.sub(_fix_word, text)
