"""Technicians' days off and branches' opening hours as the console edits them (#9, #11). Booking
reads both (core/services/availability.py): a day off blocks the technician for the day or for one
half (before / from noon); a branch without hours rows opens at the settings' hours every day, a
weekday row with equal open and close times is closed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from tortoise.transactions import in_transaction

from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import Branch, BranchHours, TechnicianDayOff, User
from spacrm.core.permissions import can_manage_users
from spacrm.core.services.hr import Clash, clashes
from spacrm.core.services.paging import Paged, page_of
from spacrm.core.services.resources import minutes_text, parse_hours
from spacrm.core.textnorm import nfc

PARTS = ("full", "morning", "afternoon")
MAX_DAYS = 62  # one entry covers at most two months
CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class DaysOffAdded:
    user: User
    days: int  # days newly blocked or widened
    clashes: list[Clash]  # booked appointments now inside the time off


def _admin(actor: Actor | None) -> None:
    if actor is not None and not can_manage_users(actor):
        raise DomainError(ErrorCode.FORBIDDEN)


async def upcoming_days_off(page: int = 1) -> tuple[Paged[TechnicianDayOff], dict[int, str]]:
    """Days off from today on, by day, with the technicians' names."""
    paged = await page_of(
        TechnicianDayOff.filter(day__gte=clock.today()).order_by("day", "user_id"), page
    )
    ids = list({row.user_id for row in paged.rows})
    names = dict(await User.filter(id__in=ids).values_list("id", "full_name"))
    return paged, {int(k): str(v) for k, v in names.items()}


def check_days(first: date, last: date, part: str) -> None:
    """A new time off starts today or later, ends on or after its start, spans at most MAX_DAYS,
    and a half day is one day."""
    if part not in PARTS:
        raise DomainError(ErrorCode.INVALID_VALUE, value=part[:20])
    if first < clock.today():
        raise DomainError(ErrorCode.DAYS_PAST, day=first.strftime("%d/%m/%Y"))
    if last < first:
        raise DomainError(
            ErrorCode.DAYS_ORDER, start=first.strftime("%d/%m/%Y"), end=last.strftime("%d/%m/%Y")
        )
    if (last - first).days >= MAX_DAYS or (part != "full" and last != first):
        raise DomainError(ErrorCode.DAYS_TOO_MANY, n=MAX_DAYS)


async def add_days_off(
    actor: Actor | None, *, user_id: int, first: date, last: date, part: str = "full",
    reason: str = "",
) -> DaysOffAdded:  # fmt: skip
    """Block `first`..`last` (or one half of `first`). A day already off for the other half
    becomes a full day; one already off for the same time is left as it is."""
    _admin(actor)
    check_days(first, last, part)
    user = await User.get_or_none(id=user_id, is_technician=True, active=True)
    if user is None:
        raise DomainError(ErrorCode.NOT_FOUND)
    reason = nfc(reason.strip())[:200]
    changed = 0
    async with in_transaction():
        existing = {
            row.day: row
            for row in await TechnicianDayOff.filter(user_id=user.id, day__gte=first, day__lte=last)
        }
        for n in range((last - first).days + 1):
            day = first + timedelta(days=n)
            row = existing.get(day)
            if row is None:
                await TechnicianDayOff.create(user_id=user.id, day=day, part=part, reason=reason)
                changed += 1
            elif row.part != "full" and row.part != part:
                row.part = "full"
                await row.save(update_fields=["part"])
                changed += 1
    return DaysOffAdded(user, changed, await clashes(user.id, first, last, part))


async def remove_day_off(actor: Actor | None, *, day_off_id: int) -> TechnicianDayOff:
    """Give a day back (past days stay: they are what happened)."""
    _admin(actor)
    row = await TechnicianDayOff.get_or_none(id=day_off_id, day__gte=clock.today())
    if row is None:
        raise DomainError(ErrorCode.NOT_FOUND)
    await row.delete()
    return row


async def branch_weeks() -> list[tuple[Branch, tuple[str, ...]]]:
    """Every branch with its week, Monday..Sunday: "HH:MM-HH:MM", CLOSED, or "" (the settings'
    hours; a branch with no rows at all shows "" every day)."""
    branches = await Branch.all().order_by("name")
    weeks: dict[int, list[str]] = {b.id: [""] * 7 for b in branches}
    for row in await BranchHours.all():
        if row.branch_id in weeks and 0 <= row.weekday < 7:
            shown = minutes_text(row.open_min, row.close_min)
            weeks[row.branch_id][row.weekday] = shown if row.close_min > row.open_min else CLOSED
    return [(b, tuple(weeks[b.id])) for b in branches]


def _day_hours(text: str) -> tuple[int, int] | None:
    """ "09:00-21:00" → minutes; CLOSED (or "nghỉ"/"đóng") → (0, 0); "" → None (the default)."""
    value = text.strip().lower()
    if value in (CLOSED, "nghỉ", "nghi", "đóng", "dong", "off"):
        return (0, 0)
    try:
        return parse_hours(value)
    except DomainError:
        raise DomainError(ErrorCode.HOURS_WRONG, value=text[:20]) from None


async def set_branch_hours(actor: Actor | None, *, branch_id: int, week: Sequence[str]) -> Branch:
    """A branch's opening hours, Monday..Sunday; every day checked before anything is written.
    All days empty: back to the settings' hours."""
    _admin(actor)
    branch = await Branch.get_or_none(id=branch_id)
    if branch is None:
        raise DomainError(ErrorCode.NOT_FOUND)
    if len(week) != 7:
        raise DomainError(ErrorCode.INVALID_VALUE, value=str(len(week)))
    hours = [_day_hours(day) for day in week]
    async with in_transaction():
        await BranchHours.filter(branch_id=branch.id).delete()
        await BranchHours.bulk_create(
            [
                BranchHours(branch_id=branch.id, weekday=day, open_min=h[0], close_min=h[1])
                for day, h in enumerate(hours)
                if h is not None
            ]
        )
    return branch
