"""Who works, who is free and which rooms are empty at a moment or in a part of a day (#9):
"ai đang rảnh", "ca chiều nay ai làm", "phòng nào đang trống". Reads only.

The front desk asks this many times a day, so it is a fixed number of queries whatever the size
of the branch: its technicians with their working windows (`availability.windows`: shifts, days
off, opening hours) and the holding appointments that overlap the span, with their rooms.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.models import Room, User
from spacrm.core.services import availability, bookings


@dataclass(frozen=True, slots=True)
class Busy:
    start: datetime
    until: datetime  # the session's end plus its buffer: when the technician or room is free
    customer: str  # "" when the asker may not see that appointment (another technician's)


@dataclass(frozen=True, slots=True)
class OnShift:
    name: str
    window: tuple[int, int]  # minutes after midnight
    busy: tuple[Busy, ...]  # the appointments overlapping the span, by start


@dataclass(frozen=True, slots=True)
class RoomUse:
    name: str
    capacity: int
    busy: tuple[Busy, ...]

    def used_at(self, moment: datetime) -> int:
        return sum(b.start <= moment < b.until for b in self.busy)


@dataclass(frozen=True, slots=True)
class Duty:
    span: tuple[int, int]  # minutes after midnight, [start, end)
    technicians: list[OnShift]  # working in the span, by name
    rooms: list[RoomUse]


async def on_duty(
    actor: Actor,
    branch_id: int,
    day: date,
    span: tuple[int, int],
    hours: tuple[int, int],
) -> Duty:
    """The branch's technicians working in `span` ([start, end) minutes) of `day`, with what
    holds them then, and its rooms with what holds them. `hours`: the branch's opening hours
    that day, as the caller has just read them (`availability.opening`). Every appointment
    counts; its customer is named only when `actor` may see it (a technician sees her own,
    DESIGN §2)."""
    start_min, end_min = span
    techs = await User.filter(branch_id=branch_id, active=True, is_technician=True).order_by("id")
    windows = await availability.windows(branch_id, [t.id for t in techs], day, hours)
    working = [
        t for t in techs if t.id in windows and _overlap(windows[t.id], (start_min, end_min))
    ]
    rooms = await Room.filter(branch_id=branch_id, active=True).order_by("id")
    start = availability.at_minute(day, start_min)
    end = availability.at_minute(day, end_min)
    rows = (
        await availability.holding(start, end)
        .filter(site_branch_id=branch_id)
        .order_by("start_s")
        .values_list("id", "technician_id", "room_id", "starts_at", "busy_until", "customer_name")
    )
    seen = set(
        await bookings.visible_appointments(actor)
        .filter(id__in=[row[0] for row in rows])
        .values_list("id", flat=True)
    )
    by_tech: dict[int, list[Busy]] = {}
    by_room: dict[int, list[Busy]] = {}
    for appt_id, tech_id, room_id, starts, until, customer in rows:
        named = (customer or "") if appt_id in seen else ""
        busy = Busy(clock.local(starts), clock.local(until), named)
        by_tech.setdefault(tech_id, []).append(busy)
        if room_id is not None:
            by_room.setdefault(room_id, []).append(busy)
    shifts = [OnShift(t.full_name, windows[t.id], tuple(by_tech.get(t.id, ()))) for t in working]
    return Duty(
        span,
        sorted(shifts, key=lambda s: [*s.name.split()[-1:], s.name]),
        [RoomUse(r.name, r.capacity, tuple(by_room.get(r.id, ()))) for r in rooms],
    )


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]
