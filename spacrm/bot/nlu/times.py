"""Clock times: "15h30", "3h chiều", "9 giờ sáng", "14:00", "tối nay 8h" -> 20:00, "trưa" -> 12:00."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

from spacrm.bot.nlu.text import Doc

_B = r"(?<![a-z0-9.,/])"
_CLOCK = re.compile(
    _B
    + r"(?:(?:luc\s+|vao\s+)?(?P<h>\d{1,2})\s*(?:h|g|gio|:)\s*(?P<m>\d{1,2})?(?![\d/])\s*(?:p|ph|phut)?(?![a-z0-9])"
    + r"|luc\s+(?P<bare>\d{1,2})(?![\d/:.,])(?!\s*(?:ngay|thang|tieng|trieu|tr|k|nghin|ngan|nguoi|lan|buoi))"
    + r"|(?:luc\s+|vao\s+)?(?P<word>muoi mot|muoi hai|muoi|mot|hai|ba|bon|nam|sau|bay|tam|chin)"
    + r"\s+(?:h|gio)(?![a-z0-9])"
    + r")"
    + r"(?:\s*(?P<half>ruoi)(?![a-z]))?"
    + r"(?:\s*kem\s*(?P<kem>\d{1,2})(?:\s*(?:p|phut))?(?![a-z0-9]))?"
    + r"(?:\s*(?P<ampm>am|pm)(?![a-z]))?"
)
_PART_AFTER = re.compile(r"\s*,?\s*(?:buoi\s+)?(?P<p>sang|trua|chieu|toi|dem)(?![a-z0-9])")
# "tối nay 8h", "chiều mai lúc 3h": the part of day comes first, maybe with its day.
_PART_BEFORE = re.compile(
    r"(?:^|(?<=[\s,]))(?P<p>sang|trua|chieu|toi|dem)"
    r"(?:\s+(?:nay|mai|qua|mot|hom nay|ngay mai|hom qua))?\s*(?:luc\s*|vao\s*|tam\s*|khoang\s*)?$"
)
_BARE_WORDS = re.compile(r"(?<![a-z])(?P<w>nua dem|trua|buoi trua|giua trua)(?![a-z])")
_PART_NAMES = {
    "sang": "morning",
    "trua": "noon",
    "chieu": "afternoon",
    "toi": "evening",
    "dem": "night",
}


# "bảy giờ tối": an hour in words. Typed with marks the word must be the number ("bây giờ" is
# now, "sau giờ làm" after work); typed without, "bay"/"sau" stay ambiguous and are skipped.
_WORD_HOURS = {
    "mot": ("một", 1), "hai": ("hai", 2), "ba": ("ba", 3), "bon": ("bốn", 4), "nam": ("năm", 5),
    "sau": ("sáu", 6), "bay": ("bảy", 7), "tam": ("tám", 8), "chin": ("chín", 9),
    "muoi": ("mười", 10), "muoi mot": ("mười một", 11), "muoi hai": ("mười hai", 12),
}  # fmt: skip


def _word_hour(doc: Doc, m: re.Match[str]) -> int | None:
    word = m.group("word")
    written, hour = _WORD_HOURS[word]
    typed = doc.text[m.start("word") : m.end("word")].lower()
    if doc.has_marks:
        return hour if typed == written else None
    return None if word in ("bay", "sau") else hour


@dataclass(frozen=True)
class TimeHit:
    start: int
    end: int
    value: time


def _apply_part(hour: int, part: str | None) -> int:
    """Turn a 12-hour reading into 24 hours using the part of day."""
    if part in ("afternoon", "evening") and hour < 12:
        return hour + 12
    if part == "noon" and 1 <= hour <= 4:
        return hour + 12
    if part == "night":
        if 6 <= hour < 12:
            return hour + 12
        if hour == 12:
            return 0
    if part is None and 1 <= hour <= 6:
        # A spa is closed before 7 am, so a bare "3h" is three in the afternoon.
        return hour + 12
    return hour


def _unmarked_sang(doc: Doc, m: re.Match[str]) -> bool:
    """A "sang" typed without its mark in a message typed with marks is the preposition "sang"
    (to), never "sáng" (morning)."""
    return (
        m.group("p") == "sang"
        and doc.has_marks
        and doc.text[m.start("p") : m.end("p")].lower() == "sang"
    )


def find_times(doc: Doc, default_part: str | None = None) -> list[TimeHit]:
    """Clock times in the message; `default_part` comes from the day ("chiều thứ 6 lúc 3h")."""
    key = doc.key
    hits: list[TimeHit] = []
    for m in doc.find(_CLOCK):
        if m.group("word"):
            word_hour = _word_hour(doc, m)
            if word_hour is None:
                continue
            hour, minute = word_hour, 0
        else:
            hour, minute = int(m.group("h") or m.group("bare")), int(m.group("m") or 0)
        if m.group("half"):
            minute = 30
        start, end = m.start(), m.end()
        part: str | None = None
        after = _PART_AFTER.match(key, end)
        before = _PART_BEFORE.search(key, max(0, m.start() - 24), m.start())
        if before and _unmarked_sang(doc, before):
            before = None  # "đổi giờ sang 4h": "sang" (to), not "sáng" (morning)
        if m.group("ampm"):
            part = "afternoon" if m.group("ampm") == "pm" else "morning"
        elif after:
            part = _PART_NAMES[after.group("p")]
            end = after.end()
        elif before:
            part = _PART_NAMES[before.group("p")]
            start = before.start("p")  # "sáng 9h": the part of day is the time's, not a service
        else:
            part = default_part
        if m.group("kem"):
            # "9h kém 15" is a quarter to nine.
            minute = 60 - int(m.group("kem"))
            hour -= 1
        hour = _apply_part(hour, part)
        if hour == 24:
            hour = 0
        if not (0 <= hour <= 23 and 0 <= minute <= 59):
            continue
        hits.append(TimeHit(start, end, time(hour, minute)))
    return hits


def parse_time(text: str) -> time | None:
    """The first clock time in `text`, or None. A lone "trưa" is noon, "nửa đêm" midnight."""
    try:
        doc = Doc.of(text)
        hits = find_times(doc)
        if hits:
            return hits[0].value
        word = _BARE_WORDS.search(doc.key)
    except Exception:  # a slot parser answers "no time" rather than breaking the dialog
        return None
    if word is None:
        return None
    return time(0, 0) if word.group("w") == "nua dem" else time(12, 0)
