"""Reminders of appointments (#9): `reminder_hours` before the start (default 24 h and 2 h) the
technician and the branch's front desk are told, on every chat they linked. The customer is
reminded on the channel she wrote to the spa from (Zalo OA or Messenger) while that channel's
window is open, else by a ZNS template on her phone when the spa set one up; otherwise the front
desk is asked to call her ("gọi nhắc khách").

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
from spacrm.core.ids import phone_e164_digits
from spacrm.core.models import (
    Appointment,
    AppointmentReminder,
    Branch,
    ChannelIdentity,
    Conversation,
    CustomerChannel,
    Room,
    User,
)
from spacrm.core.settings import get_settings


@dataclass(frozen=True, slots=True)
class Recipient:
    user_id: int
    channel: str
    chat_id: str
    front_desk: bool


@dataclass(frozen=True, slots=True)
class CustomerRoute:
    """How a customer is reminded: a CS message in her conversation ("cs") or a ZNS template
    on her phone ("zns"); `chat_id` is the PSID / Zalo user id, or the phone as 84…"""

    channel: str  # facebook zalo
    chat_id: str
    account_ref: str  # the page / OA
    kind: str  # cs zns
    conversation_id: int | None = None


@dataclass(frozen=True, slots=True)
class DueReminder:
    appointment: Appointment
    hours: int
    technician_name: str
    room_name: str
    recipients: list[Recipient] = field(default_factory=list)
    customer: CustomerRoute | None = None
    branch_name: str = ""


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
    branch = await Branch.get_or_none(id=appt.site_branch_id)
    return DueReminder(
        appt, hours, tech.full_name.split()[-1] if tech else "", room.name if room else "",
        recipients, await customer_route(appt), branch.name if branch else "",
    )  # fmt: skip


async def customer_route(appt: Appointment) -> CustomerRoute | None:
    """The channel the customer can be reached on now, None when only a call will do.

    Only conversations linked to her lead count (a channel identity, never a guess by name);
    the one she wrote on last is tried first."""
    settings = get_settings()
    if not settings.customer_reminders or appt.lead_id is None:
        return None
    now = clock.now()
    hours = {"facebook": settings.facebook_window_hours, "zalo": settings.zalo_window_hours}
    convs = (
        await Conversation.filter(lead_id=appt.lead_id, channel__in=list(hours))
        .exclude(last_customer_at=None)
        .order_by("-last_customer_at")
    )
    for conv in convs:
        last = conv.last_customer_at
        if last is not None and now - last <= timedelta(hours=hours[conv.channel]):
            return CustomerRoute(conv.channel, conv.customer_ref, conv.account_ref, "cs", conv.id)
    template = settings.zns_reminder_template
    if template and appt.customer_phone:
        oa = await CustomerChannel.filter(kind="zalo").order_by("id").first()
        if oa is not None:
            return CustomerRoute(
                "zalo", phone_e164_digits(appt.customer_phone), oa.external_id, "zns"
            )
    return None


async def reminded_appointment(lead_id: int) -> Appointment | None:
    """The customer's next appointment that is still only booked and was reminded: what her
    "xác nhận" / "ok" answers."""
    now = clock.now()
    hours = max(lead_times(), default=24)
    appts = (
        await Appointment.filter(
            lead_id=lead_id,
            status="booked",
            starts_at__gt=now,
            starts_at__lte=now + timedelta(hours=hours),
        )
        .order_by("starts_at")
        .limit(3)
    )
    for appt in appts:
        if await AppointmentReminder.exists(appointment_id=appt.id):
            return appt
    return None


async def answered_appointment(lead_id: int, appointment_id: int) -> Appointment | None:
    """The appointment a numbered reminder was about, while it is hers and still to come."""
    return await Appointment.get_or_none(
        id=appointment_id,
        lead_id=lead_id,
        status__in=("booked", "confirmed"),
        starts_at__gt=clock.now(),
    )


async def front_desk_routes(branch_id: int) -> list[tuple[str, str]]:
    """(channel, chat id) of every active front-desk user of a branch on Telegram / Zalo."""
    from spacrm.core.services.channels import staff_route

    routes = []
    for user in await User.filter(branch_id=branch_id, is_front_desk=True, active=True):
        route = await staff_route(user.id)
        if route is not None:
            routes.append(route)
    return routes
