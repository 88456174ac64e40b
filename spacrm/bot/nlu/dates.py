"""Vietnamese day expressions: "mai", "thứ 6 tuần sau", "2/12", "ngày 2 tháng 12", "cuối tuần"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from spacrm.bot.nlu.text import Doc

_DIGIT_WEEKDAY = {"2": 0, "3": 1, "4": 2, "5": 3, "6": 4, "7": 5}
_WORD_WEEKDAY = {"hai": 0, "ba": 1, "tu": 2, "nam": 3, "sau": 4, "bay": 5}
_PARTS = {
    "sang": "morning",
    "trua": "noon",
    "chieu": "afternoon",
    "toi": "evening",
    "dem": "night",
}
_NEXT = r"(?:sau|toi|ke|ke tiep|nua)"
# "thứ 7 tuần sau", and "chủ nhật này" (this coming one): the "này" belongs to the day, else it is
# left behind in the service or note ("này massage body"). Not "tới": folded, it is also "tối".
_WEEK_SUFFIX = (
    rf"(?:\s+(?:tuan|tun)\s+(?P<wk>{_NEXT}|nay|truoc|roi)|\s+(?P<near>nay)(?!\s+(?:tuan|thang)))?"
)
# Money units after a number mean "thu 2 triệu" is "collect 2 million", not "Monday".
_NOT_MONEY = r"(?!\s*(?:tr|trieu|k|nghin|ngan|cu|m|ty|tram|tieng|gio|h|lan)(?![a-z]))"

_B = r"(?<![a-z0-9])"
_E = r"(?![a-z0-9])"

_NUMERIC = re.compile(
    _B + r"(?:(?:ngay|ng|mung|hom)\s+)?(?P<d>\d{1,2})\s*(?P<sep>[/\-])\s*(?P<m>\d{1,2})"
    r"(?:\s*(?P=sep)\s*(?P<y>\d{4}|\d{2}))?(?![\d/])" + _NOT_MONEY
    + r"|" + _B + r"(?:(?:ngay|ng|mung)\s+)?(?P<d2>\d{1,2})\.(?P<m2>\d{1,2})\.(?P<y2>\d{4})" + _E
)  # fmt: skip
_WORDY = re.compile(
    _B
    + r"(?:(?:ngay|mung|hom)\s+)?(?P<d>\d{1,2})\s+thang\s+(?P<m>\d{1,2})(?:\s+nam\s+(?P<y>\d{4}))?"
    + _E
)
_DAY_ONLY = re.compile(_B + r"(?:ngay|mung)\s+(?P<d>\d{1,2})" + _E + r"(?!\s*(?:thang|ngay|/))")
_WEEKDAY = re.compile(
    _B
    + r"(?:(?:tuan|tun)\s+(?P<pre>"
    + _NEXT
    + r"|nay|truoc|roi)\s+)?"
    + r"(?:thu\s*(?P<n>[2-7])"
    + _NOT_MONEY
    + r"|thu\s+(?P<w>hai|ba|tu|nam|sau|bay)|t(?P<t>[2-7])|(?P<cn>chu\s*nhat|cn(?!\s+(?:q|quan|so|\d))))"
    + _E
    + _WEEK_SUFFIX
    + _E
)
# Today and yesterday as typed, chat shorthand included ("hnay", "hqua"); periods.py reads them too.
TODAY_WORDS = r"hom nay|bua nay|ngay hom nay|hnay|hum nay|homnay"
YESTERDAY_WORDS = r"hom qua|bua qua|hqua|hum qua|homqua"
_RELATIVE = re.compile(
    _B
    + rf"(?:(?P<today>{TODAY_WORDS})"
    + r"|(?P<tomorrow>ngay mai|mai)"
    + r"|(?P<after>ngay mot|ngay kia|mot)"
    + rf"|(?P<yesterday>{YESTERDAY_WORDS})"
    + r"|(?P<before>hom kia)"
    + r"|(?P<plus>\d{1,2})\s+(?:ngay|hom)\s+(?:nua|toi|sau)"
    + r"|sau\s+(?P<plus2>\d{1,2})\s+ngay"
    + r"|(?P<minus>\d{1,2})\s+(?:ngay|hom)\s+truoc)"
    + _E
)
# "tối nay", "chiều mai", "sáng qua": a part of day with its day in one go.
_PART_DAY = re.compile(
    _B
    + r"(?<!nhac )(?<!cho )(?<!cua )(?:buoi\s+)?(?P<part>sang|trua|chieu|toi|dem)\s+(?P<rel>nay|mai|qua|mot|hom nay|hom qua|ngay mai)"
    + _E
)
_SPAN_WORDS = re.compile(
    _B
    + r"(?:(?P<weekend>cuoi tuan)(?:\s+(?P<wkend_rel>nay|"
    + _NEXT
    + r"))?"
    + r"|(?P<edge>dau|giua|cuoi)\s+(?P<unit>tuan|thang)(?:\s+(?P<rel>nay|"
    + _NEXT
    + r"))?"
    + r"|(?P<bare>tuan|thang)\s+(?P<bare_rel>"
    + _NEXT
    + r"))"
    + _E
)
_PART_BEFORE = re.compile(r"(?:^|(?<=\s))(?P<all>(?:buoi\s+)?(?P<p>sang|trua|chieu|toi|dem)\s*)$")
_PART_AFTER = re.compile(r"^\s*,?\s*(?:buoi\s+)?(sang|trua|chieu|toi|dem)(?![a-z0-9])")


@dataclass(frozen=True)
class DateHit:
    start: int
    end: int
    value: date
    part: str | None = None  # "morning", "noon", "afternoon", "evening", "night"


def _nearest_day_month(day: int, month: int, today: date) -> date | None:
    """ "2/12" means the nearest such date, this year or the next (ties go to the future)."""
    options = []
    for year in (today.year, today.year + 1):
        try:
            options.append(date(year, month, day))
        except ValueError:
            continue
    if not options:
        return None
    return min(options, key=lambda d: (abs((d - today).days), d < today))


def _nearest_day(day: int, today: date) -> date | None:
    """ "ngày 5" alone: that day of this month, previous or next month, whichever is nearest."""
    options = []
    for shift in (-1, 0, 1):
        month0 = today.month - 1 + shift
        year, month = today.year + month0 // 12, month0 % 12 + 1
        try:
            options.append(date(year, month, day))
        except ValueError:
            continue
    if not options:
        return None
    return min(options, key=lambda d: (abs((d - today).days), d < today))


def _full_date(day: int, month: int, year: int) -> date | None:
    if year < 100:
        year += 2000
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _weekday(target: int, rel: str | None, today: date) -> date:
    monday = today - timedelta(days=today.weekday())
    if rel is None or (rel == "nay" and target > today.weekday()):
        # A bare weekday is its next occurrence after today ("thứ 4" on a Wednesday is next week).
        ahead = (target - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    if rel == "nay":
        return monday + timedelta(days=target)
    if rel in ("truoc", "roi"):
        return monday + timedelta(days=target - 7)
    return monday + timedelta(days=target + 7)


def _month_shift(today: date, months: int) -> date:
    month0 = today.month - 1 + months
    return date(today.year + month0 // 12, month0 % 12 + 1, 1)


def _month_end(first: date) -> date:
    return _month_shift(first, 1) - timedelta(days=1)


def _span_word(m: re.Match[str], today: date) -> date:
    monday = today - timedelta(days=today.weekday())
    if m.group("weekend"):
        rel = m.group("wkend_rel")
        base = monday + timedelta(days=7) if rel and rel != "nay" else monday
        saturday = base + timedelta(days=5)
        return today if not rel and today > saturday else saturday
    if m.group("bare"):
        if m.group("bare") == "tuan":
            return monday + timedelta(days=7)
        return _month_shift(today, 1)
    edge, unit, rel = m.group("edge"), m.group("unit"), m.group("rel")
    nxt = rel is not None and rel != "nay"
    if unit == "tuan":
        base = monday + timedelta(days=7) if nxt else monday
        day = base + timedelta(days={"dau": 0, "giua": 2, "cuoi": 5}[edge])
        if rel is None and day < today:
            day += timedelta(days=7)
        return day
    first = _month_shift(today, 1 if nxt else 0)
    if edge == "dau":
        if rel is None and first < today:
            first = _month_shift(today, 1)
        return first
    if edge == "giua":
        return first.replace(day=15)
    return _month_end(first)


def _relative(m: re.Match[str], today: date) -> date:
    groups = m.groupdict()
    if groups["today"]:
        return today
    if groups["tomorrow"]:
        return today + timedelta(days=1)
    if groups["after"]:
        return today + timedelta(days=2)
    if groups["yesterday"]:
        return today - timedelta(days=1)
    if groups["before"]:
        return today - timedelta(days=2)
    if groups["plus"] or groups["plus2"]:
        return today + timedelta(days=int(groups["plus"] or groups["plus2"]))
    return today - timedelta(days=int(groups["minus"]))


_REL_DAY = {"nay": 0, "hom nay": 0, "mai": 1, "ngay mai": 1, "mot": 2, "qua": -1, "hom qua": -1}


def _hits(doc: Doc, today: date) -> list[DateHit]:
    key = doc.key
    found: list[DateHit] = []

    def add(start: int, end: int, value: date | None, part: str | None = None) -> None:
        if value is None or any(h.start < end and start < h.end for h in found):
            return
        if not doc.free(start, end):
            return
        found.append(DateHit(start, end, value, part))

    for m in _PART_DAY.finditer(key):
        add(
            m.start(),
            m.end(),
            today + timedelta(days=_REL_DAY[m.group("rel")]),
            _PARTS[m.group("part")],
        )
    for m in _NUMERIC.finditer(key):
        if m.group("d2"):
            add(
                m.start(),
                m.end(),
                _full_date(int(m.group("d2")), int(m.group("m2")), int(m.group("y2"))),
            )
        elif m.group("y"):
            add(
                m.start(),
                m.end(),
                _full_date(int(m.group("d")), int(m.group("m")), int(m.group("y"))),
            )
        else:
            add(m.start(), m.end(), _nearest_day_month(int(m.group("d")), int(m.group("m")), today))
    for m in _WORDY.finditer(key):
        d, mo, y = int(m.group("d")), int(m.group("m")), m.group("y")
        add(
            m.start(), m.end(), _full_date(d, mo, int(y)) if y else _nearest_day_month(d, mo, today)
        )
    bare_weekdays: list[tuple[int, int]] = []  # (start, weekday) of a weekday without its week
    for m in _WEEKDAY.finditer(key):
        if m.group("n") or m.group("t"):
            target = _DIGIT_WEEKDAY[m.group("n") or m.group("t")]
        elif m.group("w"):
            target = _WORD_WEEKDAY[m.group("w")]
        else:
            target = 6
        rel = m.group("pre") or m.group("wk") or m.group("near")
        add(m.start(), m.end(), _weekday(target, rel, today))
        if rel is None:
            bare_weekdays.append((m.start(), target))
    for m in _SPAN_WORDS.finditer(key):
        add(m.start(), m.end(), _span_word(m, today))
        if m.group("bare") == "tuan" and len(bare_weekdays) == 1:
            # "tuần sau 3h chiều thứ 4": the week and its weekday apart are one day, the
            # Wednesday of next week (not Monday, nor this week's Wednesday). Both spans keep it.
            start, target = bare_weekdays[0]
            if abs(start - m.start()) <= 30:
                day = _weekday(target, "sau", today)
                found[:] = [
                    DateHit(h.start, h.end, day, h.part) if h.start in (start, m.start()) else h
                    for h in found
                ]
    for m in _RELATIVE.finditer(key):
        if m.group("after") == "mot" and re.match(
            r"\s*(?:tieng|gio|h|trieu|tr|ngay|lan|nghin|ngan|k|chut|ti)\b", key[m.end() :]
        ):
            continue  # "mot tieng" written without diacritics is "one hour"
        add(m.start(), m.end(), _relative(m, today))
    for m in _DAY_ONLY.finditer(key):
        add(m.start(), m.end(), _nearest_day(int(m.group("d")), today))

    # A part of day written next to the day ("sáng thứ 6", "thứ 6 buổi chiều").
    result = []
    for hit in sorted(found, key=lambda h: h.start):
        if hit.part is None:
            window = max(0, hit.start - 12)
            before = _PART_BEFORE.search(key[window : hit.start])
            after = _PART_AFTER.match(key[hit.end : hit.end + 14])
            if before and doc.free(window + before.start("all"), hit.start):
                start = window + before.start("all")
                hit = DateHit(start, hit.end, hit.value, _PARTS[before.group("p")])
            elif after and doc.free(hit.end, hit.end + after.end()):
                hit = DateHit(hit.start, hit.end + after.end(), hit.value, _PARTS[after.group(1)])
        result.append(hit)
    return result


def find_dates(doc: Doc, today: date) -> list[DateHit]:
    """Every day expression in the message, in reading order (nothing is marked used)."""
    return _hits(doc, today)


def parse_date(text: str, now: date) -> date | None:
    """The first day mentioned in `text` ("thứ 6 tuần sau", "2/12", "mai"...), or None."""
    try:
        today = now.date() if isinstance(now, datetime) else now
        hits = _hits(Doc.of(text), today)
    except Exception:  # a slot parser answers "no date" rather than breaking the dialog
        return None
    return hits[0].value if hits else None
