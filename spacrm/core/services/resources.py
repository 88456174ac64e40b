"""Rooms and technicians (#9, #11) as the console configures them: a room's branch, capacity and
the services it is limited to; a technician's services and weekly hours. Booking reads them
(core/services/availability.py): a room without services takes every service; a technician
without hours works the branch's opening hours every day."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import (
    Branch,
    CatalogItem,
    Room,
    RoomService,
    TechnicianShift,
    TechnicianSkill,
    User,
)
from spacrm.core.permissions import can_manage_users
from spacrm.core.textnorm import fold, nfc

ALL = "*"  # "every service" in a list of service codes
_HOURS = re.compile(r"^\s*(\d{1,2})[:h](\d{2})\s*-\s*(\d{1,2})[:h](\d{2})\s*$")


@dataclass(frozen=True, slots=True)
class RoomView:
    room: Room
    branch: str
    services: tuple[str, ...]  # service codes; empty = every service


@dataclass(frozen=True, slots=True)
class TechnicianView:
    user: User
    branch: str
    services: tuple[str, ...]  # codes, or (ALL,) when the technician does every service
    week: tuple[str, ...]  # Monday..Sunday "HH:MM-HH:MM", "" = off; all "" = opening hours


def _admin(actor: Actor | None) -> None:
    if actor is not None and not can_manage_users(actor):
        raise DomainError(ErrorCode.FORBIDDEN)


def minutes_text(start: int, end: int) -> str:
    return f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


def parse_hours(text: str) -> tuple[int, int] | None:
    """ "09:00-18:00" (or "9h00-18h00") → minutes; "" → None (off); INVALID_VALUE otherwise."""
    if not text.strip():
        return None
    found = _HOURS.match(text)
    if found is None:
        raise DomainError(ErrorCode.INVALID_VALUE, field="hours", value=text[:20])
    h1, m1, h2, m2 = (int(x) for x in found.groups())
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if m1 > 59 or m2 > 59 or not 0 <= start < end <= 24 * 60:
        raise DomainError(ErrorCode.INVALID_VALUE, field="hours", value=text[:20])
    return start, end


async def _service_ids(codes: Sequence[str]) -> list[int]:
    wanted = [c.strip().upper() for c in codes if c.strip()]
    if ALL in wanted:
        return [item.id for item in await CatalogItem.filter(kind="service").only("id")]
    # Codes are matched whatever their case: a code written "dv17" by hand or by an older import
    # is still that service (a spa's menu has hundreds of services, not more).
    rows = await CatalogItem.filter(kind="service").values_list("code", "id")
    found = {str(code).upper(): int(item_id) for code, item_id in rows}
    missing = [c for c in wanted if c not in found]
    if missing:
        raise DomainError(ErrorCode.ITEM_NOT_FOUND, item=missing[0])
    return [found[c] for c in dict.fromkeys(wanted)]


async def _codes() -> tuple[dict[int, str], int]:
    services = dict(await CatalogItem.filter(kind="service").values_list("id", "code"))
    return services, len(services)


async def list_rooms() -> list[RoomView]:
    branches = dict(await Branch.all().values_list("id", "name"))
    services, _ = await _codes()
    limits: dict[int, list[str]] = {}
    for row in await RoomService.all().order_by("id"):
        limits.setdefault(row.room_id, []).append(services.get(row.service_id, "?"))
    rooms = await Room.all().order_by("branch_id", "id")
    return [RoomView(r, branches.get(r.branch_id, ""), tuple(limits.get(r.id, ()))) for r in rooms]


async def add_room(
    actor: Actor | None, *, branch_code: str, name: str, capacity: int, service_codes: Sequence[str]
) -> Room:
    _admin(actor)
    name = nfc(name.strip())
    if not name or len(name) > 80:
        raise DomainError(ErrorCode.INVALID_VALUE, field="name", value=name[:40])
    if not 1 <= capacity <= 50:
        raise DomainError(ErrorCode.INVALID_VALUE, field="capacity", value=str(capacity))
    branch = await Branch.get_or_none(code=branch_code.strip().lower())
    if branch is None:
        raise DomainError(ErrorCode.NOT_FOUND, what="branch", value=branch_code[:40])
    ids = await _service_ids(service_codes)
    async with in_transaction():
        room = await Room.create(branch_id=branch.id, name=name, name_key=fold(name),
                                 capacity=capacity)  # fmt: skip
        await RoomService.bulk_create([RoomService(room_id=room.id, service_id=i) for i in ids])
    return room


async def update_room(
    actor: Actor | None, *, room_id: int, capacity: int, service_codes: Sequence[str], active: bool
) -> Room:
    _admin(actor)
    room = await Room.get_or_none(id=room_id)
    if room is None:
        raise DomainError(ErrorCode.NOT_FOUND)
    if not 1 <= capacity <= 50:
        raise DomainError(ErrorCode.INVALID_VALUE, field="capacity", value=str(capacity))
    ids = [] if ALL in service_codes else await _service_ids(service_codes)
    async with in_transaction():
        room.capacity, room.active = capacity, active
        await room.save(update_fields=["capacity", "active"])
        await RoomService.filter(room_id=room.id).delete()
        await RoomService.bulk_create([RoomService(room_id=room.id, service_id=i) for i in ids])
    return room


async def list_technicians() -> list[TechnicianView]:
    branches = dict(await Branch.all().values_list("id", "name"))
    services, total = await _codes()
    techs = await User.filter(is_technician=True, active=True).order_by("branch_id", "full_name")
    ids = [t.id for t in techs]
    skills: dict[int, list[str]] = {}
    for s in await TechnicianSkill.filter(user_id__in=ids).order_by("service_id"):
        skills.setdefault(s.user_id, []).append(services.get(s.service_id, "?"))
    weeks: dict[int, list[str]] = {i: [""] * 7 for i in ids}
    for shift in await TechnicianShift.filter(user_id__in=ids):
        if 0 <= shift.weekday < 7:
            weeks[shift.user_id][shift.weekday] = minutes_text(shift.start_min, shift.end_min)
    out = []
    for t in techs:
        codes = skills.get(t.id, [])
        shown = (ALL,) if total and len(codes) >= total else tuple(codes)
        out.append(TechnicianView(t, branches.get(t.branch_id or 0, ""), shown, tuple(weeks[t.id])))
    return out


async def update_technician(
    actor: Actor | None, *, user_id: int, service_codes: Sequence[str], week: Sequence[str]
) -> User:
    """A technician's services and hours (Monday..Sunday, "" = off; all "" = the branch's opening
    hours every day), checked before anything is written."""
    _admin(actor)
    user = await User.get_or_none(id=user_id, is_technician=True)
    if user is None:
        raise DomainError(ErrorCode.NOT_FOUND)
    if len(week) != 7:
        raise DomainError(ErrorCode.INVALID_VALUE, field="hours", value=str(len(week)))
    hours = [parse_hours(day) for day in week]
    ids = await _service_ids(service_codes)
    async with in_transaction():
        await TechnicianSkill.filter(user_id=user.id).delete()
        await TechnicianSkill.bulk_create(
            [TechnicianSkill(user_id=user.id, service_id=i) for i in ids]
        )
        await TechnicianShift.filter(user_id=user.id).delete()
        await TechnicianShift.bulk_create(
            [
                TechnicianShift(user_id=user.id, weekday=day, start_min=h[0], end_min=h[1])
                for day, h in enumerate(hours)
                if h is not None
            ]
        )
    return user
