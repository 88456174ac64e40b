"""How things look in chat (UX.md formats): money, phones, dates, stages."""

from __future__ import annotations

from datetime import date, datetime

from spacrm.core import clock
from spacrm.core.ids import format_phone
from spacrm.intents.texts import t

WEEKDAYS_VI = ["Thứ 2", "Thứ 3", "Thứ 4", "Thứ 5", "Thứ 6", "Thứ 7", "CN"]
WEEKDAYS_EN = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " ₫"


def money_short(amount: int) -> str:
    if amount >= 1_000_000:
        value = f"{amount / 1_000_000:.1f}".rstrip("0").rstrip(".").replace(".", ",")
        return f"{value}tr"
    if amount >= 1000:
        return f"{amount // 1000}k"
    return str(amount)


def phone(value: str | None) -> str:
    return format_phone(value) if value else ""


def day(value: date, lang: str = "vi", *, weekday: bool = True) -> str:
    names = WEEKDAYS_EN if lang == "en" else WEEKDAYS_VI
    base = f"{value.day:02d}/{value.month:02d}"
    if value.year != clock.today().year:
        base += f"/{value.year}"
    return f"{names[value.weekday()]}, {base}" if weekday else base


def days(first: date, last: date, lang: str = "vi", *, weekday: bool = False) -> str:
    """One day ("Thứ 6, 27/11" with `weekday`), or a span "30/11–06/12"."""
    if first == last:
        return day(first, lang, weekday=weekday)
    return f"{day(first, lang, weekday=False)}–{day(last, lang, weekday=False)}"


def when(value: datetime, lang: str = "vi") -> str:
    local = clock.local(value)
    return f"{day(local.date(), lang)} {local:%H:%M}"


def ago(value: datetime, lang: str = "vi") -> str:
    days = (clock.today() - clock.local(value).date()).days
    if days <= 0:
        return t(lang, "rel.today")
    if days == 1:
        return t(lang, "rel.yesterday")
    if days < 30:
        return t(lang, "rel.days_ago", n=days)
    return day(clock.local(value).date(), lang, weekday=False)


def stage(value: str, lang: str = "vi") -> str:
    return t(lang, f"stage.{value}")


def kind(value: str, lang: str = "vi") -> str:
    return t(lang, f"kind.{value}")


def source(value: str, lang: str = "vi") -> str:
    """A lead source in the user's language ("referral" → "Giới thiệu"); unknown ones as typed."""
    key = "source." + value.strip().lower().replace(" ", "_").replace("-", "_")
    text = t(lang, key)
    return value if text == key else text


def duration(seconds: float, lang: str = "vi") -> str:
    """ "25 phút", "2 giờ 5 phút", "1 ngày 3 giờ": how long a case waited."""
    minutes = max(0, int(seconds // 60))
    if minutes < 60:
        return t(lang, "dur.minutes", m=minutes)
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return t(lang, "dur.hours", h=hours, m=minutes)
    days, hours = divmod(hours, 24)
    return t(lang, "dur.days", d=days, h=hours)
