"""on_duty: "ai đang rảnh", "3h chiều nay ktv nào rảnh", "ca chiều nay ai làm", "phòng nào đang
trống" — who works, who is free and which rooms are empty, at the asker's branch.

A moment (now, or a clock time) answers who is free and who is busy until when; a part of the
day or a whole day answers who works then with their bookings. Rooms come with a moment, or when
they are what is asked.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from spacrm.core import clock
from spacrm.core.services import availability, bookings, on_duty
from spacrm.intents import format as fmt
from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff import appointments

# Parts of the day in minutes (the branch's opening hours bound them).
PARTS = {
    "morning": (0, 12 * 60),
    "noon": (11 * 60, 14 * 60),
    "afternoon": (12 * 60, 18 * 60),
    "evening": (18 * 60, 24 * 60),
    "night": (18 * 60, 24 * 60),
}
MAX_LISTED = 4  # bookings shown per technician in a span


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    ctx.done()
    branch = await bookings.site_branch(ctx.actor)
    now = clock.local(clock.now())
    day = appointments.day_of(slots) or now.date()
    when = _when(ctx, day, now.date())
    hours = await availability.opening(branch, day)
    if hours is None:
        return [Reply(ctx.t("duty.closed", when=when))]
    moment = _moment(slots, day, now, hours)
    if moment is not None:
        start, end = moment, moment + 1
    else:
        part = PARTS.get(str(slots.get("part") or ""), hours)
        start, end = max(part[0], hours[0]), min(part[1], hours[1])
    duty = await on_duty.on_duty(ctx.actor, branch, day, (start, end), hours)
    if moment is not None:
        at = clock.local(availability.at_minute(day, moment))
        return [Reply(_at_moment(ctx, duty, at, when, rooms=bool(slots.get("rooms"))))]
    return [Reply(_in_span(ctx, duty, when, rooms=bool(slots.get("rooms"))))]


def _when(ctx: Ctx, day: date, today: date) -> str:
    if day == today:
        return ctx.t("duty.today")
    return fmt.day(day, ctx.lang)


def _moment(slots: dict[str, Any], day: date, now: datetime, hours: tuple[int, int]) -> int | None:
    """The minute asked about: a clock time, or now when today is asked with no part of the day
    and the branch is open; None for a span."""
    if slots.get("time"):
        asked = time.fromisoformat(str(slots["time"]))
        return asked.hour * 60 + asked.minute
    if slots.get("part") or day != now.date():
        return None
    minute = now.hour * 60 + now.minute
    return minute if hours[0] <= minute < hours[1] else None


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _at_moment(ctx: Ctx, duty: on_duty.Duty, moment: datetime, when: str, *, rooms: bool) -> str:
    lines = [ctx.t("duty.title_moment", time=f"{moment:%H:%M}", when=when)]
    if rooms:
        return "\n".join(lines + _rooms_at(ctx, duty, moment))
    if not duty.technicians:
        lines.append(ctx.t("duty.nobody"))
    free, busy = [], []
    for tech in duty.technicians:
        holding = [b for b in tech.busy if b.start <= moment < b.until]
        if holding:
            b = holding[0]
            busy.append(ctx.t("duty.busy_item", name=tech.name, until=f"{b.until:%H:%M}",
                              customer=b.customer or ctx.t("duty.someone")))  # fmt: skip
        else:
            later = [b for b in tech.busy if b.start > moment]
            nxt = ctx.t("duty.next", time=f"{later[0].start:%H:%M}") if later else ""
            free.append(ctx.t("duty.free_item", name=tech.name, end=_hhmm(tech.window[1]),
                              next=nxt))  # fmt: skip
    if duty.technicians:
        lines.append(ctx.t("duty.free", items="; ".join(free) or ctx.t("duty.none")))
        if busy:
            lines.append(ctx.t("duty.busy", items="; ".join(busy)))
    return "\n".join(lines + _rooms_at(ctx, duty, moment)[:1])


def _rooms_at(ctx: Ctx, duty: on_duty.Duty, moment: datetime) -> list[str]:
    """The empty rooms at `moment`, then the full ones with when they are free again."""
    if not duty.rooms:
        return []
    empty = [
        ctx.t("duty.places", name=r.name, free=r.capacity - used, capacity=r.capacity)
        if used
        else r.name
        for r in duty.rooms
        if (used := r.used_at(moment)) < r.capacity
    ]
    lines = [ctx.t("duty.rooms_free", names=", ".join(empty) or ctx.t("duty.none"))]
    full = [
        ctx.t("duty.room_until", name=r.name, until=f"{max(b.until for b in r.busy):%H:%M}")
        for r in duty.rooms
        if r.used_at(moment) >= r.capacity
    ]
    if full:
        lines.append(ctx.t("duty.rooms_full", items="; ".join(full)))
    return lines


def _in_span(ctx: Ctx, duty: on_duty.Duty, when: str, *, rooms: bool) -> str:
    start, end = duty.span
    title = "duty.title_rooms" if rooms else "duty.title_span"
    lines = [ctx.t(title, when=when, start=_hhmm(start), end=_hhmm(end))]
    if not rooms:
        if not duty.technicians:
            lines.append(ctx.t("duty.nobody"))
        for tech in duty.technicians:
            window = f"{_hhmm(tech.window[0])}–{_hhmm(tech.window[1])}"
            lines.append(ctx.t("duty.shift_line", name=tech.name, window=window,
                               what=_bookings(ctx, tech.busy)))  # fmt: skip
    for room in duty.rooms if rooms else ():
        lines.append(ctx.t("duty.room_line", name=room.name, what=_bookings(ctx, room.busy)))
    return "\n".join(lines)


def _bookings(ctx: Ctx, busy: tuple[on_duty.Busy, ...]) -> str:
    if not busy:
        return ctx.t("duty.no_booking")
    shown = [
        f"{b.start:%H:%M}–{b.until:%H:%M} {b.customer or ctx.t('duty.someone')}"
        for b in busy[:MAX_LISTED]
    ]
    more = len(busy) - len(shown)
    return ", ".join(shown) + (ctx.t("duty.more", n=more) if more else "")
