"""cancel_appointment: "hủy lịch chị Lan chiều mai"; a cancel close to the start is marked late."""

from __future__ import annotations

from typing import Any

from spacrm.core.services.bookings import cancel_appointment
from spacrm.core.settings import get_settings
from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff import appointments


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    found = await appointments.find(ctx, "cancel_appointment", slots, ("booked", "confirmed"))
    if isinstance(found, list):
        return found
    return await apply(ctx, found.id)


async def apply(ctx: Ctx, appointment_id: int, *, edit: bool = False) -> list[Reply]:
    appt = await cancel_appointment(ctx.actor, appointment_id=appointment_id)
    headline = ctx.t("ok.cancelled_appt", name=appt.customer_name)
    if appt.late_cancel:
        headline += "\n" + ctx.t("ok.late_cancel", hours=get_settings().late_cancel_hours)
    return [await appointments.appointment_reply(ctx, appt, headline, edit=edit)]
