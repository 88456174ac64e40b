"""Phones, emails and tax codes inside a message (values normalised by core.ids)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacrm.bot.nlu.text import Doc
from spacrm.core.ids import normalize_phone, normalize_tax_code

# Digit groups split by single spaces, dots or dashes ("0912 345 678", "+84 908.111.222").
_DIGIT_RUN = re.compile(r"(?<!\d)\+?\d+(?:[ .\-]\d+)*")
_GROUP = re.compile(r"\d+")
_EMAIL = re.compile(r"[a-z0-9][a-z0-9._%+\-]*@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}")
_TAX_MARKER = re.compile(
    r"(?<![a-z])(?:mst|ma so thue|ma thue|tax)\s*:?\s*(?P<v>\d[\d\- ]{8,15}\d)"
)


@dataclass(frozen=True)
class ContactHit:
    start: int
    end: int
    value: str


def find_phones(doc: Doc) -> list[ContactHit]:
    """Vietnamese phones; the longest run of digit groups that normalises wins."""
    hits: list[ContactHit] = []
    for run in doc.find(_DIGIT_RUN):
        groups = list(_GROUP.finditer(run.group()))
        plus = run.group().startswith("+")
        i = 0
        while i < len(groups):
            best: ContactHit | None = None
            best_j = i
            digits = ""
            for j in range(i, len(groups)):
                digits += groups[j].group()
                if len(digits) > 13:
                    break  # no phone is longer; keeps a long run of numbers linear
                if len(digits) < 9:
                    continue
                phone = normalize_phone(("+" if plus and i == 0 else "") + digits)
                if phone:
                    start = run.start() + groups[i].start() - (1 if plus and i == 0 else 0)
                    best, best_j = ContactHit(start, run.start() + groups[j].end(), phone), j
            if best is not None:
                hits.append(best)
                i = best_j + 1
            else:
                i += 1
    return hits


def find_email(doc: Doc) -> ContactHit | None:
    m = doc.first(_EMAIL)
    if m is None:
        return None
    return ContactHit(m.start(), m.end(), m.group().rstrip("."))


def find_tax_code(doc: Doc, *, loose: bool) -> ContactHit | None:
    """After "mst"; with `loose`, any number that checks out as a tax code and is not a phone."""
    m = doc.first(_TAX_MARKER)
    if m:
        # After "mst" the number is a tax code even when its check digit is wrong: the service
        # refuses it with a clear message, rather than the parser reading it as a phone.
        digits = re.sub(r"\D", "", m.group("v"))
        value = normalize_tax_code(m.group("v")) or (
            digits if len(digits) in (10, 12, 13) else None
        )
        if value:
            return ContactHit(m.start("v"), m.end("v"), value)
    if loose:
        for run in doc.find(_DIGIT_RUN):
            if normalize_phone(run.group()) is None:
                value = normalize_tax_code(run.group())
                if value:
                    return ContactHit(run.start(), run.end(), value)
    return None
