"""reschedule_appointment: "dời lịch chị Lan sang 16h thứ 7" — same technician when free, else
the nearest free times are offered like a new booking. With a technician ("đổi ktv cho chị Lan
sang Mai") the appointment goes to her at the same time (or the new one given); without a name
("thay ktv khác cho chị Lan") the technicians free then are offered, nothing moves until a press."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from spacrm.core import clock
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import Appointment
from spacrm.core.services import availability, bookings
from spacrm.core.services.bookings import get_appointment, reschedule_appointment
from spacrm.intents import format as fmt
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff import appointments
from spacrm.intents.staff.book_appointment import alternatives, from_epoch_min, move_payload

INTENT = "reschedule_appointment"


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    # The slots' date/time are the NEW ones (DESIGN §6): find the appointment by customer only.
    lookup = {k: v for k, v in slots.items() if k not in ("date", "time", "technician")}
    found = await appointments.find(ctx, INTENT, lookup, ("booked", "confirmed"))
    if isinstance(found, list):
        if ctx.state.get("pending"):
            ctx.state["pending"]["slots"] = {**slots, **ctx.state["pending"]["slots"]}
        return found
    appt = found
    if "technician" in slots and not appointments.unread_day(ctx, slots):
        ctx.done()
        return await _other_technician(ctx, appt, slots)
    if (not slots.get("time") and not slots.get("date")) or appointments.unread_day(ctx, slots):
        slots["appointment_id"] = appt.id
        return ctx.ask(INTENT, slots, "date", ctx.t("ask.new_time", name=appt.customer_name))
    ctx.done()
    return await _move(ctx, appt, _new_start(appt, slots), None)


def _new_start(appt: Appointment, slots: dict[str, Any]) -> datetime:
    """The date and time asked for, each defaulting to the appointment's own."""
    local = clock.local(appt.starts_at)
    day = appointments.day_of(slots) or local.date()
    at = time.fromisoformat(str(slots["time"])) if slots.get("time") else local.time()
    return clock.at_local(day, at)


async def _other_technician(ctx: Ctx, appt: Appointment, slots: dict[str, Any]) -> list[Reply]:
    starts = _new_start(appt, slots)
    name = str(slots["technician"]).strip()
    if not name:
        return [await _free_technicians(ctx, appt, starts)]
    techs = await availability.find_technician(appt.site_branch_id, name)
    if not techs:
        return [Reply(ctx.t("err.technician_not_found", name=name))]
    if len(techs) > 1:
        buttons = [[Button(u.full_name, move_payload(appt.id, u.id, starts))] for u in techs[:5]]
        return [Reply(ctx.t("ask.pick_technician"), [*buttons, [ctx.cancel_button()]])]
    return await _move(ctx, appt, starts, techs[0].id)


async def _free_technicians(ctx: Ctx, appt: Appointment, starts: datetime) -> Reply:
    """The other technicians free for the appointment's service at `starts`, as buttons."""
    service = await availability.service_info(appt.service_id)
    _, others = await availability.nearest_slots(
        branch_id=appt.site_branch_id, service=service, wanted=starts,
        technician_id=appt.technician_id, exclude=appt.id, count=1, days=1,
    )  # fmt: skip
    if not others:
        return Reply(ctx.t("err.no_other_technician", name=appt.customer_name))
    names = await bookings.display_names([s.technician_id for s in others], [])
    local = clock.local(starts)
    when = f"{fmt.day(local.date(), ctx.lang)} {local:%H:%M}"
    buttons = [
        [Button(f"{ctx.t('appt.tech')} {names.get(s.technician_id, '')} · {when}",
                move_payload(appt.id, s.technician_id, starts))]
        for s in others
    ]  # fmt: skip
    return Reply(ctx.t("ask.other_technician", name=appt.customer_name),
                 [*buttons, [ctx.cancel_button()]])  # fmt: skip


async def _move(
    ctx: Ctx, appt: Appointment, starts: datetime, technician_id: int | None
) -> list[Reply]:
    try:
        moved = await reschedule_appointment(
            ctx.actor, appointment_id=appt.id, starts_at=starts, technician_id=technician_id
        )
    except DomainError as exc:
        if exc.code not in (ErrorCode.SLOT_TAKEN, ErrorCode.NO_ROOM, ErrorCode.DAY_OFF,
                            ErrorCode.OUTSIDE_HOURS):  # fmt: skip
            raise
        return [await alternatives(ctx, exc, appt.lead_id or 0, appt.service_id, starts,
                                   technician_id or appt.technician_id, move=appt.id)]  # fmt: skip
    return [await appointments.appointment_reply(ctx, moved, await _headline(ctx, appt, moved))]


async def _headline(ctx: Ctx, before: Appointment, moved: Appointment) -> str:
    if moved.technician_id == before.technician_id or moved.technician_id is None:
        return ctx.t("ok.rescheduled", name=moved.customer_name)
    names = await bookings.display_names([moved.technician_id], [])
    return ctx.t("ok.technician_changed", name=moved.customer_name,
                 technician=names.get(moved.technician_id, ""))  # fmt: skip


async def press_slot(ctx: Ctx, args: list[str]) -> list[Reply]:
    """ "bm:<appointment>:<technician>:<epoch minute>": move to an offered slot (or technician)."""
    appt_id, tech_id, minute = (int(a) for a in args[:3])
    before = await get_appointment(ctx.actor, appt_id)
    moved = await reschedule_appointment(
        ctx.actor, appointment_id=appt_id,
        starts_at=from_epoch_min(minute), technician_id=tech_id,
    )  # fmt: skip
    return [await appointments.appointment_reply(ctx, moved, await _headline(ctx, before, moved))]
