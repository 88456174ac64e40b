"""Amounts of VND as staff type them: "1tr5", "500k", "2 triệu", "1.200.000đ", "1 triệu rưỡi", "2 củ"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacrm.bot.nlu.text import Doc

NUMBER_WORDS = {
    "m0t": 1,
    "mot": 1,
    "hai": 2,
    "ba": 3,
    "bon": 4,
    "nam": 5,
    "sau": 6,
    "bay": 7,
    "tam": 8,
    "chin": 9,
    "muoi": 10,
}
_NUM = r"(?P<n>\d+(?:[.,]\d+)?|m0t|mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi)"
_B = r"(?<![a-z0-9.,])"
# A number after a space that counts something: "5tr 10 buổi" is 5 million and ten sessions, not
# 5.1 million ("1tr2" glued is always 1.2 million).
_NOT_COUNTED = (
    r"(?!\s*(?:buoi|lan|hop|chai|lo|tuyp|tube|cai|bo|g0i|goi|sp|san pham|set|thung|bich|mieng"
    r"|hu|ong|nguoi|suat|%)(?![a-z]))"
)
# Big units; the digits after them are the next lower digits ("1tr5" = 1.5 million).
_BIG = re.compile(
    _B
    + _NUM
    + r"\s*(?P<u>ty|ti|trieu|tr|cu)(?![a-z])"
    # Glued digits are the lower digits even before a date word ("2tr1 tháng 11" is 2.1
    # million for November); spaced ones are not ("5tr 3 tháng").
    + r"(?:(?:(?P<rest>\d{1,3})(?!\s*(?:h|g|gio|:|/|phut|p)(?![a-z]))|\s+(?P<spaced>\d{1,3})"
    + _NOT_COUNTED
    + r"(?!\s*(?:h|g|gio|:|/|tieng|ngay|thang|phut|p)(?![a-z]))"
    + ")"
    + r"(?!\d|[.,]\d)"
    + r"(?:\s*(?P<restu>k|nghin|ngan|tram)(?![a-z]))?)?"
    + r"(?:\s*(?P<half>ruoi)(?![a-z]))?"
    + r"(?:\s*(?:d|dong|vnd)(?![a-z]))?"
)
_THOUSANDS = re.compile(
    _B
    + _NUM
    + r"\s*(?P<u>k|nghin|ngan|tram)(?![a-z])(?:\s*(?P<half>ruoi)(?![a-z]))?(?:\s*(?:d|dong|vnd)(?![a-z]))?"
)
_PLAIN = re.compile(
    r"(?<![\d.,])(?P<n>\d{1,3}(?:[.,]\d{3})+|\d{4,10})(?![\d.,]?\d)\s*(?P<cur>d|dong|vnd|vnđ)?(?![a-z])"
)
_UNIT = {"ty": 10**9, "ti": 10**9, "trieu": 10**6, "tr": 10**6, "cu": 10**6}
_SMALL_UNIT = {"k": 1000, "nghin": 1000, "ngan": 1000, "tram": 100_000}


@dataclass(frozen=True)
class MoneyHit:
    start: int
    end: int
    value: int


def _number(raw: str) -> float:
    if raw in NUMBER_WORDS:
        return float(NUMBER_WORDS[raw])
    return float(raw.replace(",", "."))


def find_money(doc: Doc, *, plain: bool = True) -> list[MoneyHit]:
    """Amounts in reading order. `plain` also accepts bare digits ("500000"); numbers written
    with thousands separators or a currency ("1.200.000", "500000đ") are always amounts."""
    hits: list[MoneyHit] = []

    def add(start: int, end: int, value: float) -> None:
        if value > 0 and not any(h.start < end and start < h.end for h in hits):
            hits.append(MoneyHit(start, end, round(value)))

    for m in doc.find(_BIG):
        unit = _UNIT[m.group("u")]
        value = _number(m.group("n")) * unit
        rest = m.group("rest") or m.group("spaced")
        if rest:
            restu = m.group("restu")
            if restu:
                value += int(rest) * _SMALL_UNIT[restu]
            else:
                value += int(rest) * unit / 10 ** len(rest)
        if m.group("half"):
            value += unit / 2
        add(m.start(), m.end(), value)
    for m in doc.find(_THOUSANDS):
        value = _number(m.group("n")) * _SMALL_UNIT[m.group("u")]
        if m.group("half"):
            value += _SMALL_UNIT[m.group("u")] / 2
        add(m.start(), m.end(), value)
    for m in doc.find(_PLAIN):
        digits = re.sub(r"[.,]", "", m.group("n"))
        formatted = bool(m.group("cur")) or digits != m.group("n")
        # A bare 4-digit number is more likely a year or a code than an amount.
        if formatted or (plain and len(digits) >= 5):
            add(m.start(), m.end(), int(digits))
    return sorted(hits, key=lambda h: h.start)


def parse_money(text: str) -> int | None:
    """The first amount in `text` as integer VND, or None."""
    try:
        hits = find_money(Doc.of(text))
    except Exception:  # a slot parser answers "no amount" rather than breaking the dialog
        return None
    return hits[0].value if hits else None
