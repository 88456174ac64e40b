"""Booking engine (#9): book, move, cancel and list appointments without double-booking.

No double booking, also with several processes on PostgreSQL: every write that takes a technician
or a room first locks the branch row and then the technician's user row (always in that order, so
two bookings never wait on each other in a circle), then re-checks the conflicts and writes, in one
transaction. Two bookings of the same slot thus run one after the other and the second sees the
first. SQLite runs one writing transaction at a time anyway.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tortoise.expressions import RawSQL, Subquery
from tortoise.functions import Count
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import Appointment, Branch, Course, Lead, Room, TechnicianSkill, User
from spacrm.core.models.bookings import HOLDING_STATUSES
from spacrm.core.permissions import Ownership, can_see, ops_scoped
from spacrm.core.services import availability as av
from spacrm.core.services import locks
from spacrm.core.services.leads import move_lead
from spacrm.core.settings import get_settings

APPOINTMENTS_SHOWN = 50


@dataclass(frozen=True, slots=True)
class Booked:
    appointment: Appointment
    course: Course | None
    no_shows: int  # the customer's past no-shows, for a warning


def visible_appointments(actor: Actor) -> QuerySet[Appointment]:
    """Sales scope, plus the front desk's branch, plus a technician's own (DESIGN §2)."""
    return ops_scoped(Appointment, actor, technician_field="technician_id")


async def get_appointment(actor: Actor, appointment_id: int) -> Appointment:
    found = await visible_appointments(actor).get_or_none(id=appointment_id)
    if found is None:
        raise DomainError(ErrorCode.NOT_FOUND)
    return found


async def site_branch(
    actor: Actor, technician_id: int | None = None, lead: Lead | None = None
) -> int:
    """Where a booking happens: the technician's branch, else the actor's own, else (the board)
    the customer's."""
    for uid in (technician_id, actor.user_id):
        if uid == actor.user_id and actor.home_branch_id is not None:
            return actor.home_branch_id  # read with the actor this turn: no second read
        if uid is not None:
            user = await User.get_or_none(id=uid)
            if user is not None and user.branch_id is not None:
                return user.branch_id
    if actor.branch_ids:
        return actor.branch_ids[0]
    if lead is not None and lead.branch_id is not None:
        return lead.branch_id
    first = await Branch.all().order_by("id").first()
    if first is None:
        raise DomainError(ErrorCode.NOT_FOUND)
    return first.id


async def _lock(branch_id: int, technician_id: int) -> None:
    await locks.lock_branch(branch_id)
    await locks.lock_user(technician_id)


async def check_time(branch_id: int, service: av.ServiceInfo, start: datetime) -> tuple[int, int]:
    """Not in the past, and the whole session inside the branch's opening hours (returned, so
    the shift check does not read them again)."""
    if start < clock.now():
        raise DomainError(ErrorCode.PAST_TIME)
    hours = await av.opening(branch_id, clock.local(start).date())
    minute = av.minute_of(start)
    if hours is None or minute < hours[0] or minute + service.duration > hours[1]:
        raise DomainError(ErrorCode.OUTSIDE_HOURS, hours=av.hours_text(hours))
    return hours


async def _check_free(
    *,
    branch_id: int,
    service: av.ServiceInfo,
    start: datetime,
    technician_id: int,
    room_id: int | None,
    exclude: int | None = None,
    checked: bool = False,
) -> Room:
    """Validate a slot for this technician; returns the room to use (the given or a free one).
    `checked`: `check_technician` or `pick_technician` has just passed this technician for this
    very slot, so only what the locks guard (the technician's and the rooms' appointments) is
    read again."""
    if not checked:
        await _check_fit(branch_id, service, start, technician_id)
    span = (start, start + timedelta(minutes=service.duration + service.buffer))
    # The candidate rooms first, so the technician's and the rooms' appointments are one read.
    room = None
    if room_id is not None:
        room = await Room.get_or_none(id=room_id, branch_id=branch_id, active=True)
        rooms = [room] if room is not None else []
    else:
        rooms = await av.rooms_for(branch_id, service.id)
    busy, room_busy = await av.busy_of(technician_id, [r.id for r in rooms], *span, exclude=exclude)
    if busy:
        raise DomainError(ErrorCode.SLOT_TAKEN)
    if room_id is not None:
        if room is None:
            raise DomainError(ErrorCode.NOT_FOUND)
        if not await av.room_allows(room, service.id):
            raise DomainError(ErrorCode.ROOM_NOT_ALLOWED, room=room.name, service=service.name)
    chosen = av.free_room(rooms, room_busy, span)
    if chosen is None:
        raise DomainError(ErrorCode.NO_ROOM if room_id is None else ErrorCode.SLOT_TAKEN)
    return chosen


async def _check_fit(
    branch_id: int, service: av.ServiceInfo, start: datetime, technician_id: int
) -> None:
    """The time, the technician's skill, and her shift that day (no appointments read)."""
    hours = await check_time(branch_id, service, start)
    day, minute = clock.local(start).date(), av.minute_of(start)
    if not await TechnicianSkill.exists(user_id=technician_id, service_id=service.id):
        raise DomainError(ErrorCode.NOT_QUALIFIED, service=service.name)
    window = (await av.windows(branch_id, [technician_id], day, hours)).get(technician_id)
    if window is None or minute < window[0] or minute + service.duration > window[1]:
        raise DomainError(ErrorCode.DAY_OFF)


async def _check_not_busy(
    service: av.ServiceInfo, start: datetime, technician_id: int, exclude: int | None = None
) -> None:
    span = (start, start + timedelta(minutes=service.duration + service.buffer))
    busy = await av.busy_intervals("technician_id", [technician_id], *span, exclude=exclude)
    if busy.get(technician_id):
        raise DomainError(ErrorCode.SLOT_TAKEN)


async def check_technician(
    branch_id: int, service: av.ServiceInfo, start: datetime, technician_id: int
) -> None:
    """The asked-for technician can take the slot: time, skill, shift, and free at `start`. Read
    before the locks (like `pick_technician`), so a taken slot is answered without locking the
    branch; the booking re-reads her appointments under the locks."""
    await _check_fit(branch_id, service, start, technician_id)
    await _check_not_busy(service, start, technician_id)


async def pick_technician(branch_id: int, service: av.ServiceInfo, start: datetime) -> int:
    """A qualified technician working and free at `start` (the first by id). Only that span's
    appointments are read: the room is checked by the booking itself."""
    hours = await check_time(branch_id, service, start)
    techs = [u.id for u in await av.technicians_for(branch_id, service.id)]
    if not techs:
        raise DomainError(ErrorCode.NO_TECHNICIAN)
    day, minute = clock.local(start).date(), av.minute_of(start)
    win = await av.windows(branch_id, techs, day, hours)
    working = [u for u, (s, e) in win.items() if s <= minute and minute + service.duration <= e]
    span = (start, start + timedelta(minutes=service.duration + service.buffer))
    busy = await av.busy_intervals("technician_id", working, *span)
    free = [u for u in working if not busy.get(u)]
    if not free:
        raise DomainError(ErrorCode.SLOT_TAKEN)
    return free[0]


async def course_for(lead_id: int, service_id: int) -> Course | None:
    """The customer's usable course for this service: sessions left, earliest expiry first."""
    courses = await Course.filter(lead_id=lead_id, service_id=service_id, status="active")
    usable = [c for c in courses if c.sessions_used < c.sessions_total]
    usable.sort(key=lambda c: (c.expires_on or date.max, c.id))
    return usable[0] if usable else None


async def course_services(lead_id: int, service_ids: list[int]) -> set[int]:
    """Which of these services the customer holds a usable course of."""
    courses = await Course.filter(lead_id=lead_id, service_id__in=service_ids, status="active")
    return {c.service_id for c in courses if c.service_id and c.sessions_used < c.sessions_total}


async def no_show_count(lead_id: int) -> int:
    return await Appointment.filter(lead_id=lead_id, status="no_show").count()


async def follow_stage(actor: Actor, lead: Lead, stage: str, before: tuple[str, ...]) -> None:
    """The lead's stage follows its appointments (Booked, In service), never backwards."""
    if lead.stage in before:
        try:
            await move_lead(actor, lead_id=lead.id, stage=stage)
        except DomainError:
            pass  # a lead outside the actor's sales scope keeps its stage


async def book_appointment(
    actor: Actor,
    *,
    lead_id: int,
    service_id: int,
    starts_at: datetime,
    technician_id: int | None = None,
    room_id: int | None = None,
    note: str | None = None,
) -> Booked:
    lead, no_shows = await _customer_and_no_shows(actor, lead_id)
    service = await av.service_info(service_id)
    branch_id = await site_branch(actor, technician_id, lead)
    # What the locks do not guard (hours, skills, shifts) is read before them, and so is a first
    # look at the appointments: a taken slot is answered without locking.
    if technician_id is None:
        technician_id = await pick_technician(branch_id, service, starts_at)
    else:
        await check_technician(branch_id, service, starts_at, technician_id)
    async with in_transaction():
        await _lock(branch_id, technician_id)
        room = await _check_free(
            branch_id=branch_id, service=service, start=starts_at,
            technician_id=technician_id, room_id=room_id, checked=True,
        )  # fmt: skip
        course = await course_for(lead.id, service.id)
        appt = await Appointment.create(
            site_branch_id=branch_id,
            lead_id=lead.id,
            customer_name=lead.name,
            customer_phone=lead.phone,
            service_id=service.id,
            service_name=service.name,
            technician_id=technician_id,
            room_id=room.id,
            **av.times_of(starts_at, service),
            course_id=course.id if course else None,
            amount=course.session_amount if course else service.price,
            note=note,
            created_by_id=actor.user_id,
            **Ownership.of(lead).columns(),
        )
        await follow_stage(actor, lead, "booked", ("potential", "caring", "dead"))
    return Booked(appt, course, no_shows)


async def book_party(
    actor: Actor,
    *,
    lead_id: int,
    service_id: int,
    starts_at: datetime,
    count: int,
    technician_id: int | None = None,
    note: str | None = None,
) -> list[Booked]:
    """The front desk books for several people at once ("cho 2 mẹ con"): one appointment per
    person at the same time, each with a technician and a place of her own (the technician
    named, if any, takes the first), all or none: a taken slot undoes the others."""
    booked: list[Booked] = []
    async with in_transaction():
        for i in range(count):
            appt = await book_appointment(
                actor, lead_id=lead_id, service_id=service_id, starts_at=starts_at,
                technician_id=technician_id if i == 0 else None, note=note,
            )  # fmt: skip
            booked.append(appt)
    return booked


async def customer(actor: Actor, lead_id: int) -> Lead:
    """The customer, in the actor's scope (the front desk's covers every customer of the branch)."""
    lead = await Lead.get_or_none(id=lead_id)
    if lead is None or not can_see(actor, lead):
        raise DomainError(ErrorCode.NOT_FOUND)
    return lead


async def _customer_and_no_shows(actor: Actor, lead_id: int) -> tuple[Lead, int]:
    """`customer`, and her past no-shows in the same read (the booking being made is not one,
    so the count is the same before and after it)."""
    no_shows = (
        Appointment.filter(lead_id=RawSQL('"lead"."id"'), status="no_show")
        .annotate(n=Count("id"))
        .values("n")
    )
    lead = await Lead.filter(id=lead_id).annotate(no_shows=Subquery(no_shows)).first()
    if lead is None or not can_see(actor, lead):
        raise DomainError(ErrorCode.NOT_FOUND)
    return lead, int(getattr(lead, "no_shows", 0) or 0)


async def reschedule_appointment(
    actor: Actor, *, appointment_id: int, starts_at: datetime, technician_id: int | None = None
) -> Appointment:
    appt = await get_appointment(actor, appointment_id)
    service = await av.service_info(appt.service_id)
    technician_id = technician_id or appt.technician_id
    async with in_transaction():
        await _lock(appt.site_branch_id, technician_id)
        appt = await Appointment.get(id=appointment_id)
        if appt.status not in ("booked", "confirmed"):
            raise DomainError(ErrorCode.WRONG_STATUS, status=appt.status)
        try:
            room = await _check_free(
                branch_id=appt.site_branch_id, service=service, start=starts_at,
                technician_id=technician_id, room_id=appt.room_id, exclude=appt.id,
            )  # fmt: skip
        except DomainError as exc:
            if exc.code != ErrorCode.SLOT_TAKEN:
                raise
            room = await _check_free(
                branch_id=appt.site_branch_id, service=service, start=starts_at,
                technician_id=technician_id, room_id=None, exclude=appt.id,
            )  # fmt: skip
        for column, value in av.times_of(starts_at, service).items():
            setattr(appt, column, value)
        appt.technician_id = technician_id
        appt.room_id = room.id
        appt.version += 1
        await appt.save()
    return appt


async def cancel_appointment(actor: Actor, *, appointment_id: int) -> Appointment:
    """Cancel; within the setting's hours before the start it is recorded as a late cancel."""
    await get_appointment(actor, appointment_id)
    async with in_transaction():
        await locks.lock_appointment(appointment_id)
        appt = await Appointment.get(id=appointment_id)
        if appt.status not in ("booked", "confirmed"):
            raise DomainError(ErrorCode.WRONG_STATUS, status=appt.status)
        now = clock.now()
        appt.status = "cancelled"
        appt.cancelled_at = now
        appt.late_cancel = appt.starts_at - now < timedelta(hours=get_settings().late_cancel_hours)
        appt.version += 1
        await appt.save()
    return appt


async def list_appointments(
    actor: Actor,
    *,
    day: date | None = None,
    technician_id: int | None = None,
    lead_id: int | None = None,
    statuses: tuple[str, ...] | None = None,
) -> list[Appointment]:
    qs = visible_appointments(actor)
    if day is not None:
        qs = qs.filter(
            starts_at__gte=av.at_minute(day, 0), starts_at__lt=av.at_minute(day, 24 * 60)
        )
    if technician_id is not None:
        qs = qs.filter(technician_id=technician_id)
    if lead_id is not None:
        qs = qs.filter(lead_id=lead_id)
    if statuses:
        qs = qs.filter(status__in=statuses)
    return await qs.order_by("starts_at", "id").limit(APPOINTMENTS_SHOWN)


async def appointment_of(
    actor: Actor,
    *,
    lead_id: int,
    day: date | None = None,
    statuses: tuple[str, ...] = HOLDING_STATUSES,
) -> Appointment:
    """The customer's appointment a message talks about: on `day` when given, else the one
    nearest to now (today's first, then the next one)."""
    rows = await list_appointments(actor, day=day, lead_id=lead_id, statuses=statuses)
    if not rows:
        raise DomainError(ErrorCode.NOT_FOUND)
    now = clock.now()
    return min(rows, key=lambda a: abs((a.starts_at - now).total_seconds()))


async def display_names(technician_ids: list[int], room_ids: list[int]) -> dict[int, str]:
    """Technicians' short names by user id and room names by minus the room id (one dict)."""
    names: dict[int, str] = {}
    if technician_ids:  # no query for an empty list
        for user in await User.filter(id__in=set(technician_ids)):
            names[user.id] = user.full_name.split()[-1] if user.full_name else user.login
    if room_ids:
        for room in await Room.filter(id__in=set(room_ids)):
            names[-room.id] = room.name
    return names


async def today_counts(actor: Actor) -> dict[str, int]:
    """Today's visible appointments by status (the dashboard's line)."""
    day = clock.today()
    rows = (
        await visible_appointments(actor)
        .filter(starts_at__gte=av.at_minute(day, 0), starts_at__lt=av.at_minute(day, 24 * 60))
        .annotate(n=Count("id"))
        .group_by("status")
        .values_list("status", "n")
    )
    return {str(status): int(n) for status, n in rows}


async def book_by_customer(
    *,
    lead_id: int,
    service_id: int,
    starts_at: datetime,
    technician_id: int,
    note: str | None = None,
) -> Booked:
    """A customer books herself through the chatbot (#9): her conversation is linked to her lead,
    so the booking is made in the name of the lead's owner (whose scope holds the lead), with the
    technician of the offered slot (whose branch is where it happens). Same engine, same checks."""
    return await book_appointment(
        await _owner_actor(lead_id), lead_id=lead_id, service_id=service_id, starts_at=starts_at,
        technician_id=technician_id, note=note or "Khách tự đặt qua chatbot",
    )  # fmt: skip


async def book_party_by_customer(
    *, lead_id: int, service_id: int, starts_at: datetime, technician_ids: list[int], note: str
) -> list[Booked]:
    """A customer books for several people at once ("cho 2 chị em"): one appointment per person
    at the same time, each with a technician of her own, all or none (one taken meanwhile undoes
    the others)."""
    if len(set(technician_ids)) != len(technician_ids):
        raise DomainError(ErrorCode.SLOT_TAKEN)
    booked: list[Booked] = []
    async with in_transaction():
        for tech in technician_ids:
            booked.append(
                await book_by_customer(
                    lead_id=lead_id,
                    service_id=service_id,
                    starts_at=starts_at,
                    technician_id=tech,
                    note=note,
                )
            )
    return booked


async def _owner_actor(lead_id: int) -> Actor:
    from spacrm.core.services.users import actor_for

    lead = await Lead.get_or_none(id=lead_id)
    owner = await User.get_or_none(id=lead.owner_id) if lead is not None else None
    if lead is None or owner is None:
        raise DomainError(ErrorCode.NOT_FOUND)
    return await actor_for(owner)


async def owner_actor(lead_id: int) -> Actor:
    """The customer's owner, acting for work done on her by someone who does not see her card
    (a technician's pay-per-visit session)."""
    return await _owner_actor(lead_id)


async def next_of_customer(lead_id: int) -> Appointment | None:
    """A chatbot customer's next appointment still to come (what "hủy lịch" / "dời lịch" mean)."""
    return (
        await Appointment.filter(
            lead_id=lead_id, status__in=("booked", "confirmed"), starts_at__gt=clock.now()
        )
        .order_by("starts_at")
        .first()
    )


async def _own(lead_id: int, appointment_id: int) -> Actor:
    """Only her own appointment: the conversation's lead must be the appointment's."""
    appt = await Appointment.get_or_none(id=appointment_id)
    if appt is None or appt.lead_id != lead_id:
        raise DomainError(ErrorCode.NOT_FOUND)
    return await _owner_actor(lead_id)


async def cancel_by_customer(*, lead_id: int, appointment_id: int) -> Appointment:
    actor = await _own(lead_id, appointment_id)
    return await cancel_appointment(actor, appointment_id=appointment_id)


async def reschedule_by_customer(
    *, lead_id: int, appointment_id: int, starts_at: datetime, technician_id: int
) -> Appointment:
    actor = await _own(lead_id, appointment_id)
    return await reschedule_appointment(
        actor, appointment_id=appointment_id, starts_at=starts_at, technician_id=technician_id
    )


async def customer_branch(lead_id: int | None, staff_id: int | None) -> int | None:
    """Where a chatbot customer is offered times: her lead's branch, else the branch of the staff
    member answering her conversation, else the first branch with rooms."""
    lead = await Lead.get_or_none(id=lead_id) if lead_id is not None else None
    if lead is not None and lead.branch_id is not None:
        return lead.branch_id
    staff = await User.get_or_none(id=staff_id) if staff_id is not None else None
    if staff is not None and staff.branch_id is not None:
        return staff.branch_id
    room = await Room.filter(active=True).order_by("branch_id").first()
    return room.branch_id if room is not None else None
