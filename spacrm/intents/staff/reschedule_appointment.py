"""reschedule_appointment: "dời lịch chị Lan sang 16h thứ 7" — same technician when free, else
the nearest free times are offered like a new booking."""

from __future__ import annotations

from datetime import time
from typing import Any

from spacrm.core import clock
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.services.bookings import reschedule_appointment
from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff import appointments

INTENT = "reschedule_appointment"


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    # The slots' date/time are the NEW ones (DESIGN §6): find the appointment by customer only.
    lookup = {k: v for k, v in slots.items() if k not in ("date", "time")}
    found = await appointments.find(ctx, INTENT, lookup, ("booked", "confirmed"))
    if isinstance(found, list):
        if ctx.state.get("pending"):
            ctx.state["pending"]["slots"] = {**slots, **ctx.state["pending"]["slots"]}
        return found
    appt = found
    if (not slots.get("time") and not slots.get("date")) or appointments.unread_day(ctx, slots):
        slots["appointment_id"] = appt.id
        return ctx.ask(INTENT, slots, "date", ctx.t("ask.new_time", name=appt.customer_name))
    local = clock.local(appt.starts_at)
    day = appointments.day_of(slots) or local.date()
    at = time.fromisoformat(str(slots["time"])) if slots.get("time") else local.time()
    starts = clock.at_local(day, at)
    ctx.done()
    try:
        moved = await reschedule_appointment(ctx.actor, appointment_id=appt.id, starts_at=starts)
    except DomainError as exc:
        if exc.code not in (ErrorCode.SLOT_TAKEN, ErrorCode.NO_ROOM, ErrorCode.DAY_OFF,
                            ErrorCode.OUTSIDE_HOURS):  # fmt: skip
            raise
        from spacrm.intents.staff.book_appointment import alternatives

        return [await alternatives(ctx, exc, appt.lead_id or 0, appt.service_id, starts,
                                   appt.technician_id, move=appt.id)]  # fmt: skip
    headline = ctx.t("ok.rescheduled", name=moved.customer_name)
    return [await appointments.appointment_reply(ctx, moved, headline)]


async def press_slot(ctx: Ctx, args: list[str]) -> list[Reply]:
    """ "bm:<appointment>:<technician>:<epoch minute>": move to an offered slot."""
    from datetime import UTC, datetime

    appt_id, tech_id, minute = (int(a) for a in args[:3])
    moved = await reschedule_appointment(
        ctx.actor, appointment_id=appt_id,
        starts_at=datetime.fromtimestamp(minute * 60, UTC), technician_id=tech_id,
    )  # fmt: skip
    headline = ctx.t("ok.rescheduled", name=moved.customer_name)
    return [await appointments.appointment_reply(ctx, moved, headline)]
