"""The only place that reads the time. Stored times are UTC; people see Asia/Ho_Chi_Minh."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_frozen: datetime | None = None


def now() -> datetime:
    """Aware UTC now (or the frozen instant set by `freeze`, for demos and tests)."""
    return _frozen if _frozen is not None else datetime.now(UTC)


def is_frozen() -> bool:
    return _frozen is not None


def local_now() -> datetime:
    return now().astimezone(TZ)


def today() -> date:
    return local_now().date()


def freeze(at: datetime | None) -> None:
    """Pin the clock (None unpins). Naive datetimes are taken as Vietnam local time."""
    global _frozen
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=TZ)
    _frozen = at.astimezone(UTC) if at is not None else None


def local(dt: datetime) -> datetime:
    return dt.astimezone(TZ)


def at_local(day: date, clock_time: time | None = None) -> datetime:
    """A local day and time as an aware UTC datetime (9:00 when no time is given)."""
    return datetime.combine(day, clock_time or time(9, 0), TZ).astimezone(UTC)


def week_bounds(day: date) -> tuple[datetime, datetime]:
    start = day - timedelta(days=day.weekday())
    return at_local(start, time(0, 0)), at_local(start + timedelta(days=7), time(0, 0))


def month_bounds(day: date) -> tuple[datetime, datetime]:
    start = day.replace(day=1)
    nxt = (start + timedelta(days=32)).replace(day=1)
    return at_local(start, time(0, 0)), at_local(nxt, time(0, 0))
