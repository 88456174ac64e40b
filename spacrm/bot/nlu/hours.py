"""Durations in hours for overtime: "2 tiếng", "1 tiếng rưỡi", "1.5h", "90 phút", "từ 18h đến 21h"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacrm.bot.nlu.money import NUMBER_WORDS
from spacrm.bot.nlu.text import Doc

_NUM = r"(?P<n>\d+(?:[.,]\d+)?|m0t|mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi|nua)"
_DURATION = re.compile(
    r"(?<![a-z0-9.,:])"
    + _NUM
    + r"\s*(?P<u>tieng|gio|h|hr|hrs|hour|hours|t|phut|p)(?![a-z])"
    + r"(?:\s*(?P<half>ruoi)(?![a-z])|\s*(?P<min>\d{1,2})\s*(?:phut|p)?(?![a-z0-9]))?"
)
_RANGE = re.compile(
    r"(?<![a-z0-9])(?:tu\s+)?(?P<a>\d{1,2})(?:\s*(?:h|g|gio|:)\s*(?P<am>\d{2})?)"
    r"\s*(?:den|toi|-|–|->|>)\s*(?P<b>\d{1,2})(?:\s*(?:h|g|gio|:)\s*(?P<bm>\d{2})?)?(?![a-z0-9])"
)


# "đến 10h", "tới 9h tối", "lúc 8h", "về lúc 22h": a time of day; "2 tiếng" never is.
_CLOCK_UNITS = frozenset(("h", "gio", "g"))
_CLOCK_BEFORE = re.compile(r"(?<![a-z0-9])(?:den|toi|luc|tu|tan|ve|ve luc|den tan)\s*$")
# "3h chiều nay" is a time of day (15:00), "2h tối nay" is not one (two hours tonight): an hour
# followed by a part of the day it can name.
_PART_AFTER = re.compile(r"\s*(?:buoi\s+)?(?P<p>sang|trua|chieu|toi|dem)(?![a-z])")
_PART_HOURS = {
    "sang": range(4, 12),
    "trua": (11, 12, 1),
    "chieu": range(1, 7),
    "toi": range(6, 12),
    "dem": (9, 10, 11, 12, 1, 2, 3, 4),
}


@dataclass(frozen=True)
class HoursHit:
    start: int
    end: int
    value: float


def _number(raw: str) -> float:
    if raw == "nua":
        return 0.5
    if raw in NUMBER_WORDS:
        return float(NUMBER_WORDS[raw])
    return float(raw.replace(",", "."))


def as_number(value: float) -> int | float:
    """2.0 -> 2, 1.5 stays 1.5 (the contract wants an int for whole hours)."""
    return int(value) if value == int(value) else value


def find_hours(doc: Doc) -> HoursHit | None:
    """The first duration: an explicit one, else a clock range ("18h-21h" -> 3)."""
    for m in doc.find(_RANGE):
        start = int(m.group("a")) * 60 + int(m.group("am") or 0)
        end = int(m.group("b")) * 60 + int(m.group("bm") or 0)
        if end <= start and end + 12 * 60 > start:
            end += 12 * 60  # "từ 6h đến 9h tối" style ranges written in 12-hour form
        if end <= start:
            end += 24 * 60
        span = (end - start) / 60
        if 0 < span <= 16:
            return HoursHit(m.start(), m.end(), round(span, 2))
    for m in doc.find(_DURATION):
        if m.group("u") in _CLOCK_UNITS and _CLOCK_BEFORE.search(doc.key, 0, m.start()):
            continue  # "tăng ca đến 10h": when it ended, not how long (asked instead)
        part = _PART_AFTER.match(doc.key, m.end())
        if (
            m.group("u") in _CLOCK_UNITS
            and part
            and m.group("n").isdigit()
            and int(m.group("n")) in _PART_HOURS[part.group("p")]
        ):
            continue  # "tăng ca 3h chiều nay": a time of day, the hours are asked
        value = _number(m.group("n"))
        if m.group("u") in ("phut", "p"):
            value /= 60
        elif m.group("half"):
            value += 0.5
        elif m.group("min"):
            value += int(m.group("min")) / 60
        if 0 < value <= 24:
            return HoursHit(m.start(), m.end(), round(value, 2))
    return None
