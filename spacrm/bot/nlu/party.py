"""How many people one booking is for: "cho 2 chị em", "hai mẹ con", "2 suất", "for two". The
customer chatbot and the staff parser read it alike (one appointment per person, same time)."""

from __future__ import annotations

import re

from spacrm.core.textnorm import fold

PARTY = re.compile(
    r"\b(?:(?P<n>[2-4]|hai|ba|bon)\s+(?:nguoi|chi em|me con|vo chong|ban|khach|dua|suat|chi|anh em"
    r"|people|persons|guests|of us)"
    r"|(?:for|party of)\s+(?P<m>[2-4]|two|three|four)(?:\s+(?:people|persons|guests))?)\b"
)
_NUMBER_WORDS = {"hai": 2, "ba": 3, "bon": 4, "two": 2, "three": 3, "four": 4}


def party_size(match: re.Match[str] | None) -> int:
    if match is None:
        return 1
    word = match.group("n") or match.group("m")
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def party(text: str) -> int:
    """How many people the booking is for (1 unless the text says so)."""
    return party_size(PARTY.search(fold(text)))
