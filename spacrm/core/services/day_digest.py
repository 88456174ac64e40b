"""The day digest (#9): at `day_digest_at` (local time) every active technician linked on a staff
chat gets their own appointments of the day, and every front-desk user the branch's day (per
technician, with each one's first free time).

A (kind "day_digest", user, day) ReportSend row is the claim: it is created with the queued
message in one transaction (`scheduled_sends.claim_and_queue`), so a digest goes out once a day,
also across restarts and with two schedulers, and a crash between the two leaves neither. A technician with nothing
booked is claimed without a message, so a booking made at noon sends no "morning" digest then.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from spacrm.core import clock
from spacrm.core.models import Appointment, Branch, ChannelIdentity, Course, User
from spacrm.core.models.bookings import HOLDING_STATUSES
from spacrm.core.services import availability, scheduled_sends
from spacrm.core.services.bookings import display_names
from spacrm.core.services.channels import STAFF_CHANNELS, staff_route
from spacrm.core.settings import get_settings

KIND = "day_digest"
MIN_GAP = 30  # minutes: a shorter free stretch is no room for a walk-in


@dataclass(frozen=True, slots=True)
class DayDigest:
    user_id: int
    lang: str
    channel: str
    chat_id: str
    day: date
    front_desk: bool
    branch_name: str
    appointments: list[Appointment]  # by start; the technician's own, or the whole branch's
    names: dict[int, str]  # technicians by user id, rooms by minus room id (display_names)
    sessions: dict[int, tuple[int, int]]  # appointment id → (session number, of how many)
    free_from: dict[int, str] = field(default_factory=dict)  # technician → first free "HH:MM"
    idle: list[str] = field(default_factory=list)  # technicians at work with nothing booked


def is_due(now: datetime) -> bool:
    return scheduled_sends.time_reached(get_settings().day_digest_at, now)


async def pending_day_digests() -> list[DayDigest]:
    """Today's digests not claimed yet, for users linked on a staff chat (not claimed here)."""
    if not is_due(clock.now()):
        return []
    today = clock.today()
    claimed = await scheduled_sends.claimed_users(KIND, today)
    users = [
        u
        for u in await User.filter(active=True, is_technician=True).order_by("id")
        if u.id not in claimed
    ]
    desks = [
        u
        for u in await User.filter(active=True, is_front_desk=True).order_by("id")
        if u.id not in claimed
    ]
    # Only people linked on a staff chat get one: one query instead of a lookup per person on
    # every tick (the unlinked are never claimed, so they are looked at all day).
    linked: list[Any] = await ChannelIdentity.filter(
        channel__in=list(STAFF_CHANNELS), user_id__in=[u.id for u in users + desks] or [-1]
    ).values_list("user_id", flat=True)
    reachable = set(linked)
    users = [u for u in users if u.id in reachable]
    desks = [u for u in desks if u.id in reachable]
    if not users and not desks:
        return []
    start, end = clock.at_local(today), clock.at_local(today + timedelta(days=1))
    desk_ids = {u.id for u in desks}
    techs = [u for u in users if u.id not in desk_ids]  # a desk's day holds their own too
    branches = {u.branch_id for u in desks if u.branch_id is not None}
    # The day's appointments of everyone pending, read once.
    day = await _day(start, end).filter(
        Q(technician_id__in=[u.id for u in techs] or [-1])
        | Q(site_branch_id__in=list(branches) or [-1])
    )
    by_tech: dict[int, list[Appointment]] = {}
    by_branch: dict[int, list[Appointment]] = {}
    for a in day:
        by_tech.setdefault(a.technician_id, []).append(a)
        by_branch.setdefault(a.site_branch_id, []).append(a)
    out: list[DayDigest] = []
    for user in techs:
        route = await staff_route(user.id)
        if route is not None:
            own = by_tech.get(user.id, [])
            out.append(await _digest(user, route, today, own, front_desk=False))
    for user in desks:
        route = await staff_route(user.id)
        if route is not None and user.branch_id is not None:
            branch = by_branch.get(user.branch_id, [])
            out.append(await _digest(user, route, today, branch, front_desk=True))
    return out


def _day(start: datetime, end: datetime) -> QuerySet[Appointment]:
    return Appointment.filter(
        starts_at__gte=start, starts_at__lt=end, status__in=list(HOLDING_STATUSES)
    ).order_by("starts_at", "id")


async def _digest(
    user: User, route: tuple[str, str], day: date, appts: list[Appointment], *, front_desk: bool
) -> DayDigest:
    branch_id = user.branch_id if front_desk else (appts[0].site_branch_id if appts else None)
    branch = await Branch.get_or_none(id=branch_id) if branch_id is not None else None
    names = await display_names([a.technician_id for a in appts], [a.room_id for a in appts])
    free: dict[int, str] = {}
    idle: list[str] = []
    if front_desk and user.branch_id is not None:
        free, idle = await _free_times(user.branch_id, day, appts, names)
    return DayDigest(
        user.id, user.lang, route[0], route[1], day, front_desk, branch.name if branch else "",
        appts, names, await session_numbers(appts), free, idle,
    )  # fmt: skip


async def session_numbers(appts: list[Appointment]) -> dict[int, tuple[int, int]]:
    """The "buổi 3/10": a course's sessions used, plus its earlier open appointments, plus one."""
    course_ids = {a.course_id for a in appts if a.course_id is not None}
    if not course_ids:
        return {}
    courses = {c.id: c for c in await Course.filter(id__in=list(course_ids))}
    open_rows = await Appointment.filter(
        course_id__in=list(course_ids), status__in=list(HOLDING_STATUSES)
    ).order_by("starts_at", "id").values_list("id", "course_id")  # fmt: skip
    ahead: dict[int, int] = {}
    out: dict[int, tuple[int, int]] = {}
    for appt_id, course_id in open_rows:
        course = courses.get(course_id)
        if course is None:
            continue
        n = course.sessions_used + ahead.get(course_id, 0) + 1
        ahead[course_id] = ahead.get(course_id, 0) + 1
        out[appt_id] = (min(n, course.sessions_total), course.sessions_total)
    return out


async def _free_times(
    branch_id: int, day: date, appts: list[Appointment], names: dict[int, str]
) -> tuple[dict[int, str], list[str]]:
    """Each booked technician's first free stretch of MIN_GAP minutes inside their working
    window, and the branch's technicians at work with nothing booked."""
    techs = await User.filter(branch_id=branch_id, active=True, is_technician=True).order_by(
        "full_name"
    )
    hours = await availability.windows(branch_id, [t.id for t in techs], day)
    busy: dict[int, list[tuple[int, int]]] = {}
    for a in appts:
        start, until = clock.local(a.starts_at), clock.local(a.busy_until)
        end = until.hour * 60 + until.minute if until.date() == day else 24 * 60
        busy.setdefault(a.technician_id, []).append((start.hour * 60 + start.minute, end))
    free: dict[int, str] = {}
    idle: list[str] = []
    for tech in techs:
        window = hours.get(tech.id)
        if window is None:
            continue  # off today
        if tech.id not in busy:
            idle.append(tech.full_name.split()[-1] if tech.full_name else tech.login)
            continue
        at = window[0]
        for s, e in sorted(busy[tech.id]):
            if s - at >= MIN_GAP:
                break
            at = max(at, e)
        if window[1] - at >= MIN_GAP:
            free[tech.id] = f"{at // 60:02d}:{at % 60:02d}"
    return free, idle
