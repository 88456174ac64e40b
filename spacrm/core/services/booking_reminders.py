"""Reminders of appointments (#9): `reminder_hours` before the start (default 24 h and 2 h) the
technician and the branch's front desk are told, on every chat they linked. Customers are
reached by the front desk ("gọi nhắc khách") until template messages (ZNS) come.

Each (appointment, hours) is claimed by a unique row before anything is queued, so a reminder is
sent once, also across restarts and with two schedulers. An appointment booked late gets one
reminder, not one per passed lead time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from spacrm.core import clock
from spacrm.core.models import Appointment, AppointmentReminder, ChannelIdentity, Room, User
from spacrm.core.settings import get_settings


@dataclass(frozen=True, slots=True)
class Recipient:
    user_id: int
    channel: str
    chat_id: str
    front_desk: bool


@dataclass(frozen=True, slots=True)
class DueReminder:
    appointment: Appointment
    hours: int
    technician_name: str
    room_name: str
    recipients: list[Recipient] = field(default_factory=list)


def lead_times() -> list[int]:
    return sorted({int(h) for h in get_settings().reminder_hours.split(",") if h})


async def claim_due_appointment_reminders(limit: int = 200) -> list[DueReminder]:
    hours = lead_times()
    if not hours:
        return []
    now = clock.now()
    appts = (
        await Appointment.filter(
            status__in=("booked", "confirmed"),
            starts_at__gt=now,
            starts_at__lte=now + timedelta(hours=max(hours)),
        )
        .order_by("starts_at")
        .limit(limit)
    )
    sent: dict[int, set[int]] = {}
    for row in await AppointmentReminder.filter(appointment_id__in=[a.id for a in appts]):
        sent.setdefault(row.appointment_id, set()).add(row.hours)
    out: list[DueReminder] = []
    for appt in appts:
        passed = [h for h in hours if appt.starts_at - now <= timedelta(hours=h)]
        done = sent.get(appt.id, set())
        if not passed or min(passed) in done:
            continue
        try:
            async with in_transaction():
                for h in passed:
                    if h not in done:
                        await AppointmentReminder.create(appointment_id=appt.id, hours=h)
        except IntegrityError:
            continue  # another scheduler claimed it first
        out.append(await _due(appt, min(passed)))
    return out


async def _due(appt: Appointment, hours: int) -> DueReminder:
    tech = await User.get_or_none(id=appt.technician_id)
    room = await Room.get_or_none(id=appt.room_id)
    desk = await User.filter(branch_id=appt.site_branch_id, is_front_desk=True, active=True)
    people = {u.id: False for u in ([tech] if tech else [])} | {u.id: True for u in desk}
    recipients = [
        Recipient(i.user_id, i.channel, i.chat_id, people[i.user_id])
        for i in await ChannelIdentity.filter(user_id__in=list(people)).order_by("id")
    ]
    return DueReminder(
        appt, hours, tech.full_name.split()[-1] if tech else "", room.name if room else "",
        recipients,
    )  # fmt: skip
