"""Report periods: a day (YYYY-MM-DD), an ISO week (YYYY-Www) or a month (YYYY-MM)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from spacrm.bot.nlu.dates import TODAY_WORDS, YESTERDAY_WORDS, find_dates
from spacrm.bot.nlu.text import Doc, kw

_PREV = r"(?:truoc|roi|vua roi|vua qua|qua)"
_NEXT = r"(?:sau|toi|ke tiep)"
_WEEK = kw(rf"tuan\s+(?:(?P<this>nay|hien tai)|(?P<prev>{_PREV})|(?P<next>{_NEXT}))")
_MONTH_REL = kw(rf"thang\s+(?:(?P<this>nay|hien tai)|(?P<prev>{_PREV})|(?P<next>{_NEXT}))")
_MONTH_NUM = kw(
    r"thang\s+(?P<m>\d{1,2})(?:\s*(?:nam|/|-)\s*(?P<y>\d{4}))?",
    r"(?P<m2>\d{1,2})\s*/\s*(?P<y2>\d{4})",
    r"t(?P<m3>1[0-2]?|[89])",  # "t10" = tháng 10; t2..t7 are weekdays
)
_DAY = kw(rf"{TODAY_WORDS}|{YESTERDAY_WORDS}|ngay hom qua")
# "năm nay" is this year, not "thứ năm" (Thursday) of "năm" read as five.
_YEAR = kw(
    r"nam\s+(?:(?P<this>nay|hien tai)|(?P<prev>truoc|ngoai|roi|vua roi|qua)|(?P<y>20\d{2}))",
    r"(?<!thang )(?<!ngay )(?<!/)(?P<y2>20[2-3]\d)(?![/\d])",
)
# "6 tháng gần đây", "3 tháng qua": the months of this year when they all are (the year's chart
# is drawn per month), else no period - never "thứ 6" read from the number.
_LAST_MONTHS = kw(
    r"(?P<n>\d{1,2})\s+thang\s+(?:gan day|gan nhat|qua|vua qua|tro lai day|truoc|vua roi)"
)


@dataclass(frozen=True)
class PeriodHit:
    start: int
    end: int
    value: str


def _iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _month(today: date, shift: int) -> str:
    month0 = today.month - 1 + shift
    return f"{today.year + month0 // 12:04d}-{month0 % 12 + 1:02d}"


def find_period(doc: Doc, today: date) -> PeriodHit | None:
    """The first period named; a month without a year is the latest one not in the future."""
    hits: list[PeriodHit] = []
    m = doc.first(_LAST_MONTHS)
    if m:
        if int(m.group("n")) < today.month:
            return PeriodHit(m.start(), m.end(), str(today.year))
        doc.take(m.start(), m.end())
        return None
    m = doc.first(_YEAR)
    if m:
        year = int(m.group("y") or m.group("y2") or today.year - bool(m.group("prev")))
        hits.append(PeriodHit(m.start(), m.end(), str(year)))
    m = doc.first(_WEEK)
    if m:
        shift = -7 if m.group("prev") else 7 if m.group("next") else 0
        hits.append(PeriodHit(m.start(), m.end(), _iso_week(today + timedelta(days=shift))))
    m = doc.first(_MONTH_REL)
    if m:
        shift = -1 if m.group("prev") else 1 if m.group("next") else 0
        hits.append(PeriodHit(m.start(), m.end(), _month(today, shift)))
    m = doc.first(_MONTH_NUM)
    if m:
        month = int(m.group("m") or m.group("m2") or m.group("m3"))
        raw_year = m.group("y") or m.group("y2")
        if 1 <= month <= 12:
            if raw_year:
                year = int(raw_year)
            else:
                # Reports look back: "tháng 12" in November means last December.
                year = today.year if month <= today.month else today.year - 1
            hits.append(PeriodHit(m.start(), m.end(), f"{year:04d}-{month:02d}"))
    if not hits:
        m = doc.first(_DAY)
        if m:
            day = today if "nay" in m.group() else today - timedelta(days=1)
            hits.append(PeriodHit(m.start(), m.end(), day.isoformat()))
    if not hits:
        days = find_dates(doc, today)
        if days:
            d = days[0]
            hits.append(PeriodHit(d.start, d.end, d.value.isoformat()))
    return min(hits, key=lambda h: h.start) if hits else None


def parse_period(text: str, now: date) -> str | None:
    """ "tuần này" -> "2026-W48", "tháng trước" -> "2026-10", "hôm nay" -> "2026-11-25"; else None."""
    try:
        today = now.date() if isinstance(now, datetime) else now
        hit = find_period(Doc.of(text), today)
    except Exception:  # a slot parser answers "no period" rather than breaking the dialog
        return None
    return hit.value if hit else None
