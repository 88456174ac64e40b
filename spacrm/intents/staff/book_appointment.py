"""book_appointment: "đặt lịch chị Lan triệt lông 15h30 thứ 7 ktv Hoa".

Asks for what is missing (service, time), books through the engine, and when the slot is taken
offers the nearest free times and the other free technicians as buttons ("bk:…" books directly).
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from spacrm.core import clock
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.services import availability, bookings
from spacrm.core.settings import get_settings
from spacrm.intents import format as fmt
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff import appointments
from spacrm.intents.staff.resolve import resolve_lead

INTENT = "book_appointment"
# Worth offering other times for; a past date or an unqualified technician is simply explained.
_OFFER_OTHERS = (
    ErrorCode.SLOT_TAKEN,
    ErrorCode.NO_ROOM,
    ErrorCode.DAY_OFF,
    ErrorCode.OUTSIDE_HOURS,
)


def epoch_min(dt: datetime) -> int:
    """A start as it travels in a button's payload (minutes since the epoch)."""
    return int(dt.timestamp()) // 60


def from_epoch_min(value: int) -> datetime:
    return datetime.fromtimestamp(value * 60, UTC)


def move_payload(appointment_id: int, tech_id: int, starts: datetime) -> str:
    """ "bm:…": move an appointment to `starts` with `tech_id` (reschedule_appointment.press_slot)."""
    return f"bm:{appointment_id}:{tech_id}:{epoch_min(starts)}"


def _error_line(ctx: Ctx, exc: DomainError) -> str:
    params = {k: v for k, v in exc.params.items() if isinstance(v, str | int)}
    return ctx.t(f"err.{exc.code.value}", **params)


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    found = await resolve_lead(ctx, INTENT, slots)
    if isinstance(found, list):
        return found
    lead = found
    slots["lead_id"] = lead.id
    if "service_id" not in slots:
        name = slots.pop("text", None) or slots.get("service")
        if not name:
            return ctx.ask(INTENT, slots, "text", ctx.t("ask.service", name=lead.name))
        branch_id = await bookings.site_branch(ctx.actor)
        items = await availability.find_services(branch_id, str(name))
        if not items:
            ctx.done()
            return [Reply(ctx.t("err.service_not_found", query=name))]
        if len(items) > 1:
            # "triệt lông" for a customer holding a course of one of them: that one.
            held = await bookings.course_services(lead.id, [i.id for i in items])
            items = [i for i in items if i.id in held] if len(held) == 1 else items
        if len(items) > 1:
            buttons = [[Button(i.name, f"bs:{i.id}")] for i in items]
            return ctx.ask(INTENT, slots, "text", ctx.t("ask.pick_service", query=name), buttons)
        slots["service_id"] = items[0].id
    if not slots.get("time") or appointments.unread_day(ctx, slots):
        key = "ask.book_time" if not slots.get("time") else "ask.bad_day"
        return ctx.ask(INTENT, slots, "date", ctx.t(key, name=lead.name))
    day = appointments.day_of(slots) or clock.today()
    starts = clock.at_local(day, time.fromisoformat(str(slots["time"])))
    tech_id = slots.get("technician_id")
    if tech_id is None and slots.get("technician"):
        branch_id = await bookings.site_branch(ctx.actor)
        techs = await availability.find_technician(branch_id, str(slots["technician"]))
        if not techs:
            ctx.done()
            return [Reply(ctx.t("err.technician_not_found", name=slots["technician"]))]
        if len(techs) > 1:
            buttons = [[Button(u.full_name, f"bt:{u.id}")] for u in techs[:5]]
            return ctx.ask(INTENT, slots, "text", ctx.t("ask.pick_technician"), buttons)
        tech_id = techs[0].id
    ctx.done()
    party = int(slots.get("party") or 1)
    if party > 1:
        return await book_party(ctx, lead.id, int(slots["service_id"]), starts, tech_id, party)
    return await book(ctx, lead.id, int(slots["service_id"]), starts, tech_id)


async def book_party(
    ctx: Ctx, lead_id: int, service_id: int, starts: datetime, tech_id: int | None, party: int
) -> list[Reply]:
    """ "đặt lịch cho 2 mẹ con chị Lan …": one appointment each at the same time, all or none.
    Not enough technicians or places then: said, nothing booked (times that suit a group are
    the customer chatbot's offers; the desk picks another time)."""
    try:
        booked = await bookings.book_party(
            ctx.actor, lead_id=lead_id, service_id=service_id, starts_at=starts, count=party,
            technician_id=int(tech_id) if tech_id is not None else None,
            note=ctx.t("appt.party_note", n=party),
        )  # fmt: skip
    except DomainError as exc:
        if exc.code not in _OFFER_OTHERS:
            raise
        return [Reply(_error_line(ctx, exc) + "\n" + ctx.t("err.party_not_free", n=party))]
    appts = [b.appointment for b in booked]
    names = await appointments.names_for(appts)
    lines = [appointments.line(ctx, a, names, with_day=True) for a in appts]
    text = ctx.t("ok.booked_party", name=appts[0].customer_name, n=party) + "\n" + "\n".join(lines)
    return [Reply(text)]


async def book(
    ctx: Ctx, lead_id: int, service_id: int, starts: datetime, tech_id: int | None
) -> list[Reply]:
    try:
        booked = await bookings.book_appointment(
            ctx.actor, lead_id=lead_id, service_id=service_id, starts_at=starts,
            technician_id=int(tech_id) if tech_id is not None else None,
        )  # fmt: skip
    except DomainError as exc:
        if exc.code not in _OFFER_OTHERS:
            raise
        return [await alternatives(ctx, exc, lead_id, service_id, starts, tech_id)]
    appt = booked.appointment
    text = ctx.t("ok.booked", name=appt.customer_name)
    if booked.course is not None:
        c = booked.course
        text += "\n" + ctx.t("ok.booked_course", course=c.name, left=c.sessions_total - c.sessions_used,
                             total=c.sessions_total)  # fmt: skip
    if booked.no_shows >= get_settings().no_show_warn:
        text += "\n" + ctx.t("warn.no_shows", count=booked.no_shows)
    return [await appointments.appointment_reply(ctx, appt, text)]


async def alternatives(
    ctx: Ctx,
    exc: DomainError,
    lead_id: int,
    service_id: int,
    starts: datetime,
    tech_id: int | None,
    *,
    move: int | None = None,
) -> Reply:
    """The error, then the nearest free times (and other technicians) as buttons; `move` is the
    appointment being rescheduled (its own time does not count as taken)."""
    service = await availability.service_info(service_id)
    branch_id = await bookings.site_branch(ctx.actor, int(tech_id) if tech_id else None)
    same, others = await availability.nearest_slots(
        branch_id=branch_id, service=service, wanted=starts,
        technician_id=int(tech_id) if tech_id else None, exclude=move,
    )  # fmt: skip
    names = await bookings.display_names([s.technician_id for s in same + others], [])
    rows: list[list[Button]] = []
    for slot in same:
        local = clock.local(slot.starts_at)
        label = (
            f"{fmt.day(local.date(), ctx.lang)} {local:%H:%M} · {names.get(slot.technician_id, '')}"
        )
        rows.append(
            [Button(label, _payload(lead_id, service_id, slot.technician_id, slot.starts_at, move))]
        )
    if others:
        rows.append([
            Button(f"{clock.local(s.starts_at):%H:%M} · {ctx.t('appt.tech')} {names.get(s.technician_id, '')}",
                   _payload(lead_id, service_id, s.technician_id, s.starts_at, move))
            for s in others
        ])  # fmt: skip
    text = _error_line(ctx, exc)
    text += "\n" + (ctx.t("ask.other_slot") if rows else ctx.t("err.no_free_slot"))
    return Reply(text, [*rows, [ctx.cancel_button()]] if rows else [])


def _payload(
    lead_id: int, service_id: int, tech_id: int, starts: datetime, move: int | None
) -> str:
    if move is not None:
        return move_payload(move, tech_id, starts)
    return f"bk:{lead_id}:{service_id}:{tech_id}:{epoch_min(starts)}"


async def press_slot(ctx: Ctx, args: list[str]) -> list[Reply]:
    """An offered slot: book it (it may have been taken meanwhile: then new offers)."""
    lead_id, service_id, tech_id, minute = (int(a) for a in args[:4])
    return await book(ctx, lead_id, service_id, from_epoch_min(minute), tech_id)


async def _continue(ctx: Ctx, key: str, value: int) -> list[Reply]:
    pending = ctx.state.get("pending")
    if not pending or pending.get("intent") != INTENT:
        return [Reply(ctx.t("err.stale"), toast=ctx.t("err.stale"))]
    slots = {**pending["slots"], key: value}
    slots.pop("text", None)
    ctx.done()
    return await run(ctx, slots)


async def press_service(ctx: Ctx, args: list[str]) -> list[Reply]:
    return await _continue(ctx, "service_id", int(args[0]))


async def press_technician(ctx: Ctx, args: list[str]) -> list[Reply]:
    return await _continue(ctx, "technician_id", int(args[0]))
