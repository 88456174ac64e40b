"""confirm_appointment: "chị Lan xác nhận lịch rồi" — booked → confirmed (also a button on the
appointment, and the customer's own "xác nhận" to her reminder, in bot/customer_booking.py)."""

from __future__ import annotations

from typing import Any

from spacrm.core.services.sessions import confirm_appointment
from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff import appointments


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    found = await appointments.find(ctx, "confirm_appointment", slots, ("booked", "confirmed"))
    if isinstance(found, list):
        return found
    return await apply(ctx, found.id)


async def apply(ctx: Ctx, appointment_id: int, *, edit: bool = False) -> list[Reply]:
    appt = await confirm_appointment(ctx.actor, appointment_id=appointment_id)
    headline = ctx.t("ok.confirmed_appt", name=appt.customer_name)
    return [await appointments.appointment_reply(ctx, appt, headline, edit=edit)]
