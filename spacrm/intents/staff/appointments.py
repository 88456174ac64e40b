"""What the appointment intents share: how one appointment reads in chat, its action buttons,
and finding the appointment a message talks about ("chị Lan tới rồi")."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from spacrm.core import clock
from spacrm.core.errors import DomainError
from spacrm.core.models import Appointment
from spacrm.core.models.bookings import HOLDING_STATUSES
from spacrm.core.services import bookings
from spacrm.core.services.search import name_matches, name_words
from spacrm.core.textnorm import fold
from spacrm.intents import format as fmt
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.resolve import resolve_lead

STATUS_ICONS = {
    "booked": "🗓",
    "confirmed": "☑️",
    "checked_in": "🟢",
    "done": "✅",
    "no_show": "🚫",
    "cancelled": "✖️",
}


# A day written in the message that the parser could not read ("thứ 8", "31/2"): ask, rather than
# book today by default (a wrong booking is worse than a question).
_DAY_WORDS = re.compile(r"\b(thu|t)\s*\d\b|\d{1,2}\s*/\s*\d{1,2}|\bngay\b|\bchu nhat\b|\bcn\b|"
                        r"\bmai\b|\bmot\b|\btuan\b")  # fmt: skip


def unread_day(ctx: Ctx, slots: dict[str, Any]) -> bool:
    if slots.get("date") or not ctx.event.text:
        return False
    text = fold(ctx.event.text)
    for key in ("customer", "technician", "service"):  # "chị Mai" is a name, not "mai"
        if slots.get(key):
            text = text.replace(fold(str(slots[key])), " ")
    return bool(_DAY_WORDS.search(text))


def day_of(slots: dict[str, Any]) -> date | None:
    value = slots.get("date")
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def line(ctx: Ctx, appt: Appointment, names: dict[int, str], *, with_day: bool = False) -> str:
    """ "15:30–16:30 Lan · Triệt lông · KTV Hoa · Phòng 1 (Đã đặt)"."""
    start, end = clock.local(appt.starts_at), clock.local(appt.ends_at)
    when = f"{start:%H:%M}–{end:%H:%M}"
    if with_day:
        when = f"{fmt.day(start.date(), ctx.lang)} {when}"
    status = ctx.t(f"appt.status.{appt.status}")
    if appt.late_cancel:
        status = ctx.t("appt.late_cancel")
    tech = names.get(appt.technician_id, "?")
    room = names.get(-appt.room_id, "?")
    return (f"{STATUS_ICONS.get(appt.status, '')} {when} {appt.customer_name} · {appt.service_name}"
            f" · {ctx.t('appt.tech')} {tech} · {room} ({status})")  # fmt: skip


async def names_for(appts: list[Appointment]) -> dict[int, str]:
    """Technician names by user id and room names by minus room id, for `line`."""
    return await bookings.display_names(
        [a.technician_id for a in appts], [a.room_id for a in appts]
    )


def action_buttons(ctx: Ctx, appt: Appointment) -> list[list[Button]]:
    if appt.status in ("booked", "confirmed"):
        rows = [
            [Button(ctx.t("btn.check_in"), f"ai:{appt.id}"), Button(ctx.t("btn.done"), f"ad:{appt.id}")],
            [Button(ctx.t("btn.no_show"), f"an:{appt.id}"), Button(ctx.t("btn.cancel_appt"), f"ax:{appt.id}")],
        ]  # fmt: skip
        if appt.status == "booked":  # the customer said she will come
            rows[1].insert(0, Button(ctx.t("btn.confirm_appt"), f"ac:{appt.id}"))
        return rows
    if appt.status == "checked_in":
        return [[Button(ctx.t("btn.done"), f"ad:{appt.id}")]]
    return []


async def appointment_reply(
    ctx: Ctx, appt: Appointment, headline: str, *, edit: bool = False
) -> Reply:
    text = headline + "\n" + line(ctx, appt, await names_for([appt]), with_day=True)
    return Reply(text, action_buttons(ctx, appt), edit=edit)


# What happens at the visit itself: the customer is in the spa today.
_VISIT_INTENTS = frozenset({"check_in", "complete_session", "no_show"})


async def _named_visit_today(
    ctx: Ctx, slots: dict[str, Any], statuses: tuple[str, ...]
) -> Appointment | None:
    """The one appointment today, among those the user sees, whose customer the message names
    ("xong buổi chị Mai"). A technician sees her own appointments but not every customer's card,
    so the name is matched on the day's list first; none or several → the usual customer lookup
    (which asks)."""
    name = str(slots.get("customer") or "")
    day = day_of(slots)
    if not name or slots.get("phone") or (day is not None and day != clock.today()):
        return None
    words = name_words(name)
    rows = await bookings.list_appointments(ctx.actor, day=clock.today(), statuses=statuses)
    hits = [a for a in rows if words and name_matches(fold(a.customer_name), words)]
    return hits[0] if len(hits) == 1 else None


async def find(
    ctx: Ctx, intent: str, slots: dict[str, Any], statuses: tuple[str, ...] = HOLDING_STATUSES
) -> Appointment | list[Reply]:
    """The customer's appointment on the slot's date (else the one nearest to now)."""
    if "appointment_id" in slots:
        return await bookings.get_appointment(ctx.actor, int(slots["appointment_id"]))
    if intent in _VISIT_INTENTS:
        visit = await _named_visit_today(ctx, slots, statuses)
        if visit is not None:
            ctx.done()
            return visit
    found = await resolve_lead(ctx, intent, slots)
    if isinstance(found, list):
        return found
    ctx.done()
    try:
        return await bookings.appointment_of(
            ctx.actor, lead_id=found.id, day=day_of(slots), statuses=statuses
        )
    except DomainError:
        return [Reply(ctx.t("err.no_appointment", name=found.name))]
