"""When can a service be done: opening hours, technicians' shifts and days off, skills, rooms, and
the free slots left between appointments (#9). Reads only; the booking itself is in bookings.py.

Times of day are minutes after local midnight; an appointment blocks its technician and one place
in its room from `starts_at` to `busy_until` (the session plus the service's buffer).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from tortoise.expressions import Q, RawSQL, Subquery
from tortoise.functions import Count
from tortoise.queryset import QuerySet, ValuesQuery

from spacrm.core import clock
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import (
    Appointment,
    BranchHours,
    CatalogItem,
    Room,
    RoomService,
    ServiceBuffer,
    TechnicianDayOff,
    TechnicianShift,
    TechnicianSkill,
    User,
)
from spacrm.core.models.bookings import HOLDING_STATUSES
from spacrm.core.services.catalog import query_words, words_fit
from spacrm.core.settings import get_settings
from spacrm.core.textnorm import fold

Interval = tuple[datetime, datetime]


@dataclass(frozen=True, slots=True)
class ServiceInfo:
    id: int
    name: str
    duration: int  # minutes
    buffer: int  # minutes
    price: int
    commission_pct: int


@dataclass(frozen=True, slots=True)
class Slot:
    starts_at: datetime
    technician_id: int
    room_id: int


def hhmm(value: str) -> int:
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


def hours_text(hours: tuple[int, int] | None) -> str:
    if hours is None:
        return "—"
    return f"{hours[0] // 60:02d}:{hours[0] % 60:02d}–{hours[1] // 60:02d}:{hours[1] % 60:02d}"


def minute_of(dt: datetime) -> int:
    local = clock.local(dt)
    return local.hour * 60 + local.minute


def at_minute(day: date, minute: int) -> datetime:
    return clock.at_local(day, time(0, 0)) + timedelta(minutes=minute)


def overlaps(a: Interval, b: Interval) -> bool:
    return a[0] < b[1] and b[0] < a[1]


async def service_info(service_id: int) -> ServiceInfo:
    # The service and its buffer in one round trip (service_buffer.service_id is unique).
    buffer = ServiceBuffer.filter(service_id=RawSQL('"catalog_item"."id"')).values("minutes")
    item = (
        await CatalogItem.filter(id=service_id, kind="service")
        .annotate(buffer_min=Subquery(buffer))
        .first()
    )
    if item is None:
        raise DomainError(ErrorCode.NOT_FOUND)
    own = getattr(item, "buffer_min", None)
    minutes = int(own) if own is not None else get_settings().booking_buffer_minutes
    duration = item.duration_min or 60  # a service without a duration books an hour
    return ServiceInfo(item.id, item.name, duration, minutes, item.price, item.commission_pct)


async def find_items(
    query: str,
    kinds: tuple[str, ...],
    limit: int = 5,
    *,
    among: set[int] | ValuesQuery[Any] | None = None,
) -> list[CatalogItem]:
    """Catalogue items whose folded name contains the folded query (an exact name wins, then
    names starting with it, then the shortest). `among` limits the ids considered (a set, or a
    query of ids run inside this one)."""
    key = fold(query).strip()
    if not key:
        return []
    qs = CatalogItem.filter(kind__in=kinds, active=True, name_key__contains=key)
    if isinstance(among, set):
        qs = qs.filter(id__in=list(among))
    elif among is not None:
        qs = qs.filter(id__in=Subquery(among))
    rows = await qs.limit(200)
    if not rows:
        # No name contains the words as typed: every typed word starting a word of the name
        # ("triet nach" → "Triệt lông nách"); a branch's menu is small, so read it whole.
        words = query_words(query)
        wide = CatalogItem.filter(kind__in=kinds, active=True)
        if isinstance(among, set):
            wide = wide.filter(id__in=list(among))
        elif among is not None:
            wide = wide.filter(id__in=Subquery(among))
        rows = [r for r in await wide.limit(2000) if words and words_fit(words, r.name_key)]
    rows.sort(key=lambda r: (r.name_key != key, not r.name_key.startswith(key), len(r.name_key)))
    if rows and rows[0].name_key == key:
        return rows[:1]
    return rows[:limit]


async def find_services(branch_id: int, query: str) -> list[CatalogItem]:
    """Services matching `query` that some technician of the branch performs (one query)."""
    techs = User.filter(branch_id=branch_id, active=True).values("id")
    offered = TechnicianSkill.filter(user_id__in=Subquery(techs)).values("service_id")
    return await find_items(query, ("service",), among=offered)


async def branch_services(branch_id: int) -> list[CatalogItem]:
    """Every active service some technician of the branch performs (what a customer may book
    there), for matching the words she uses against the whole menu."""
    techs = User.filter(branch_id=branch_id, active=True).values("id")
    offered = TechnicianSkill.filter(user_id__in=Subquery(techs)).values("service_id")
    return await CatalogItem.filter(kind="service", active=True, id__in=Subquery(offered)).order_by(
        "id"
    )


async def opening(branch_id: int, day: date) -> tuple[int, int] | None:
    row = await BranchHours.get_or_none(branch_id=branch_id, weekday=day.weekday())
    if row is not None:
        return (row.open_min, row.close_min) if row.close_min > row.open_min else None
    settings = get_settings()
    return hhmm(settings.booking_open), hhmm(settings.booking_close)


NOON_MIN = 12 * 60


_UNREAD: Any = object()  # `windows` reads the opening hours itself


async def windows(
    branch_id: int, user_ids: list[int], day: date, hours: tuple[int, int] | None = _UNREAD
) -> dict[int, tuple[int, int]]:
    """Each technician's working window that day inside the branch's opening hours (`hours`,
    when the caller has just read them with `opening`); technicians off that day are left out."""
    if hours is _UNREAD:
        hours = await opening(branch_id, day)
    if hours is None or not user_ids:
        return {}
    # A half day off (leave) takes that half only: the morning ends and the afternoon starts at noon.
    off = {d.user_id: d.part for d in await TechnicianDayOff.filter(user_id__in=user_ids, day=day)}
    # A technician with any shift row works only on those weekdays (one read for all weekdays).
    all_shifts = await TechnicianShift.filter(user_id__in=user_ids)
    has_shifts = {s.user_id for s in all_shifts}
    shifts = {s.user_id: (s.start_min, s.end_min) for s in all_shifts if s.weekday == day.weekday()}
    result: dict[int, tuple[int, int]] = {}
    for uid in user_ids:
        if off.get(uid) == "full":
            continue
        if uid in has_shifts:
            if uid not in shifts:
                continue  # not working this weekday
            start, end = max(shifts[uid][0], hours[0]), min(shifts[uid][1], hours[1])
        else:
            start, end = hours
        if off.get(uid) == "morning":
            start = max(start, NOON_MIN)
        elif off.get(uid) == "afternoon":
            end = min(end, NOON_MIN)
        if end > start:
            result[uid] = (start, end)
    return result


async def technicians_for(branch_id: int, service_id: int) -> list[User]:
    skilled = TechnicianSkill.filter(service_id=service_id).values("user_id")
    return await User.filter(id__in=Subquery(skilled), branch_id=branch_id, active=True).order_by(
        "id"
    )


async def find_technician(branch_id: int | None, name: str) -> list[User]:
    """Technicians (users with at least one skill) whose name ends with or contains `name`."""
    key = fold(name).strip()
    skilled = TechnicianSkill.all().values("user_id")
    qs = User.filter(id__in=Subquery(skilled), active=True, name_key__contains=key)
    if branch_id is not None:
        qs = qs.filter(branch_id=branch_id)
    users = await qs.order_by("id").limit(20)
    # "Hoa" is the given name: the last word matches before a middle name does.
    exact = [u for u in users if u.name_key.split()[-1:] == [key] or u.name_key == key]
    return exact or users


async def rooms_for(branch_id: int, service_id: int) -> list[Room]:
    """The branch's active rooms that allow the service: rooms limited to some services and this
    among them, or rooms with no limit. One query: each room comes with how many services it is
    limited to and whether this one is among them."""
    this_room = RawSQL('"room"."id"')
    limits = RoomService.filter(room_id=this_room).annotate(n=Count("id")).values("n")
    this = RoomService.filter(room_id=this_room, service_id=service_id)
    rooms = (
        await Room.filter(branch_id=branch_id, active=True)
        .annotate(
            limits=Subquery(limits),
            allows=Subquery(this.annotate(n=Count("id")).values("n")),
        )
        .order_by("id")
    )
    limited = {r.id for r in rooms if getattr(r, "limits", 0)}
    allowed = [r for r in rooms if r.id not in limited or bool(getattr(r, "allows", 0))]
    # Rooms made for the service first (the laser room for hair removal), keeping general rooms
    # free for everything else.
    return sorted(allowed, key=lambda r: (r.id not in limited, r.id))


async def room_allows(room: Room, service_id: int) -> bool:
    allowed = {r.service_id for r in await RoomService.filter(room_id=room.id)}
    return not allowed or service_id in allowed


Spans = dict[int, list[tuple[int, int]]]  # technician or room id → (start_s, busy_s) spans
DAY_S = 24 * 3600


def times_of(start: datetime, service: ServiceInfo) -> dict[str, Any]:
    """The time columns of an appointment of `service` starting at `start`."""
    busy_until = start + timedelta(minutes=service.duration + service.buffer)
    return {
        "starts_at": start,
        "ends_at": start + timedelta(minutes=service.duration),
        "busy_until": busy_until,
        "start_s": int(start.timestamp()),
        "busy_s": int(busy_until.timestamp()),
    }


async def busy_intervals(
    column: str, ids: list[int], start: datetime, end: datetime, *, exclude: int | None = None
) -> Spans:
    """Holding appointments of these technicians/rooms that overlap [start, end), as seconds."""
    if not ids:
        return {}
    qs = _holding(int(start.timestamp()), int(end.timestamp()), exclude)
    result: Spans = defaultdict(list)
    for ref, s, e in await qs.filter(**{f"{column}__in": ids}).values_list(
        column, "start_s", "busy_s"
    ):
        result[ref].append((s, e))
    return result


async def busy_of(
    technician_id: int,
    room_ids: list[int],
    start: datetime,
    end: datetime,
    *,
    exclude: int | None = None,
) -> tuple[list[tuple[int, int]], Spans]:
    """One technician's and these rooms' holding appointments that overlap [start, end), in one
    query: (the technician's spans, the rooms' spans by room id)."""
    cond = Q(technician_id=technician_id)
    if room_ids:
        cond |= Q(room_id__in=room_ids)
    rows = (
        await _holding(int(start.timestamp()), int(end.timestamp()), exclude)
        .filter(cond)
        .values_list("technician_id", "room_id", "start_s", "busy_s")
    )
    mine: list[tuple[int, int]] = []
    rooms: Spans = defaultdict(list)
    wanted = set(room_ids)
    for tech_id, room_id, s, e in rows:
        if tech_id == technician_id:
            mine.append((s, e))
        if room_id in wanted:
            rooms[room_id].append((s, e))
    return mine, rooms


def holding(start: datetime, end: datetime) -> QuerySet[Appointment]:
    """The appointments holding a technician or a room at some time in [start, end)."""
    return _holding(int(start.timestamp()), int(end.timestamp()), None)


def _holding(start_s: int, end_s: int, exclude: int | None) -> QuerySet[Appointment]:
    # No appointment is longer than a day, so the (resource, start_s) index bounds the scan.
    qs = Appointment.filter(
        status__in=HOLDING_STATUSES,
        start_s__gte=start_s - DAY_S,
        start_s__lt=end_s,
        busy_s__gt=start_s,
    )
    return qs.exclude(id=exclude) if exclude is not None else qs


class Blocked:
    """When a resource is full: the sorted, disjoint spans (epoch seconds) during which `capacity`
    or more appointments hold it. `free(s, e)` is then a binary search."""

    def __init__(self, spans: list[tuple[int, int]], capacity: int = 1) -> None:
        events = sorted([(s, 1) for s, _ in spans] + [(e, -1) for _, e in spans])
        starts: list[int] = []
        ends: list[int] = []
        used, full_since = 0, 0
        for at, delta in events:  # ends sort before starts at the same instant: back-to-back fits
            before = used
            used += delta
            if before < capacity <= used:
                full_since = at
            elif used < capacity <= before and at > full_since:
                starts.append(full_since)
                ends.append(at)
        self.starts, self.ends = starts, ends

    def free(self, start: int, end: int) -> bool:
        i = bisect_left(self.starts, end)
        return i == 0 or self.ends[i - 1] <= start


def free_room(rooms: list[Room], room_busy: Spans, span: Interval) -> Room | None:
    s, e = int(span[0].timestamp()), int(span[1].timestamp())
    for room in rooms:
        if Blocked(room_busy.get(room.id, []), room.capacity).free(s, e):
            return room
    return None


async def free_slots(
    *,
    branch_id: int,
    service: ServiceInfo,
    day: date,
    technician_ids: list[int] | None = None,
    not_before: datetime | None = None,
    exclude: int | None = None,
    rooms: list[Room] | None = None,
) -> list[Slot]:
    """Free (start, technician, room) on the step grid of `day`, earliest first, one per start and
    technician. `exclude` ignores an appointment being moved; `rooms` are the service's rooms
    (`rooms_for`) when the caller has them already."""
    techs = technician_ids or [u.id for u in await technicians_for(branch_id, service.id)]
    win = await windows(branch_id, techs, day)
    if rooms is None:
        rooms = await rooms_for(branch_id, service.id)
    if not win or not rooms:
        return []
    day_start = at_minute(day, 0)
    # One query for the day's appointments of these technicians and rooms.
    base = int(day_start.timestamp())
    rows = (
        await _holding(base, base + DAY_S, exclude)
        .filter(Q(technician_id__in=list(win)) | Q(room_id__in=[r.id for r in rooms]))
        .values_list("technician_id", "room_id", "start_s", "busy_s")
    )
    tech_spans: Spans = defaultdict(list)
    room_spans: Spans = defaultdict(list)
    for tech_id, room_id, s_, e_ in rows:
        if tech_id in win:
            tech_spans[tech_id].append((s_, e_))
        room_spans[room_id].append((s_, e_))
    tech_blocked = {uid: Blocked(tech_spans[uid]) for uid in win}
    room_blocked = [(r, Blocked(room_spans[r.id], r.capacity)) for r in rooms]
    step = get_settings().booking_step_minutes
    earliest = int((not_before or clock.now()).timestamp())
    first = min(w[0] for w in win.values())
    last = max(w[1] for w in win.values())
    hold = (service.duration + service.buffer) * 60
    slots: list[Slot] = []
    for minute in range(-(-first // step) * step, last - service.duration + 1, step):
        s = base + minute * 60
        if s < earliest:
            continue
        room = next((r for r, b in room_blocked if b.free(s, s + hold)), None)
        if room is None:
            continue
        start = day_start + timedelta(minutes=minute)
        for uid, (w_start, w_end) in win.items():
            if w_start <= minute and minute + service.duration <= w_end:
                if tech_blocked[uid].free(s, s + hold):
                    slots.append(Slot(start, uid, room.id))
    return slots


async def nearest_slots(
    *,
    branch_id: int,
    service: ServiceInfo,
    wanted: datetime,
    technician_id: int | None,
    exclude: int | None = None,
    count: int = 3,
    days: int = 7,
) -> tuple[list[Slot], list[Slot]]:
    """When `wanted` is taken: the nearest free starts with the same technician (or any, when none
    was asked for), and the other technicians free at exactly `wanted`."""
    day = clock.local(wanted).date()
    same_tech: list[Slot] = []
    others: list[Slot] = []
    # The qualified technicians and the rooms are the same every day: read once.
    techs = [u.id for u in await technicians_for(branch_id, service.id)]
    rooms = await rooms_for(branch_id, service.id)
    for offset in range(days):
        current = day + timedelta(days=offset)
        slots = await free_slots(
            branch_id=branch_id, service=service, day=current, exclude=exclude,
            technician_ids=techs, rooms=rooms,
        )  # fmt: skip
        if offset == 0:
            others = [
                s for s in slots if s.starts_at == wanted and s.technician_id != technician_id
            ]
        mine = [s for s in slots if technician_id is None or s.technician_id == technician_id]
        seen: set[datetime] = set()
        unique = []
        # Nearest first; on a tie the later time (the customer asked for that hour or later).
        for s in sorted(
            mine, key=lambda s: (abs((s.starts_at - wanted).total_seconds()), s.starts_at < wanted)
        ):
            if s.starts_at not in seen:
                seen.add(s.starts_at)
                unique.append(s)
        same_tech.extend(unique[: count - len(same_tech)])
        if len(same_tech) >= count:
            break
    return sorted(same_tech, key=lambda s: s.starts_at), others[:count]
