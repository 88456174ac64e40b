"""Guard an LLM reply: every number it states must come from the texts it was given.

A number is where a made-up price, time or discount would show, so a reply quoting a number
that is not in the retrieved answers or the spa's facts is thrown away.
"""

from __future__ import annotations

import re

# Digits with the separators Vietnamese prices use: 1.500.000, 1,5, 199.000đ.
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def numbers_in(text: str) -> set[str]:
    """Numbers as digit strings, both as written ("1.500.000") and without separators."""
    found: set[str] = set()
    for match in _NUMBER.findall(text):
        found.add(match)
        found.add(re.sub(r"[.,]", "", match))
        found.update(re.split(r"[.,]", match))
    return found


def invents_numbers(reply: str, sources: list[str]) -> bool:
    allowed: set[str] = set()
    for source in sources:
        allowed |= numbers_in(source)
    written = {re.sub(r"[.,]", "", match) for match in _NUMBER.findall(reply)}
    return any(number not in allowed for number in written)
