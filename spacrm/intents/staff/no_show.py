"""no_show: "chị Lan bùng hẹn" — recorded on the appointment; the count warns future bookings."""

from __future__ import annotations

from typing import Any

from spacrm.core.services.bookings import no_show_count
from spacrm.core.services.sessions import mark_no_show
from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff import appointments


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    found = await appointments.find(ctx, "no_show", slots, ("booked", "confirmed"))
    if isinstance(found, list):
        return found
    return await apply(ctx, found.id)


async def apply(ctx: Ctx, appointment_id: int, *, edit: bool = False) -> list[Reply]:
    appt = await mark_no_show(ctx.actor, appointment_id=appointment_id)
    count = await no_show_count(appt.lead_id) if appt.lead_id else 1
    headline = ctx.t("ok.no_show", name=appt.customer_name, count=count)
    return [await appointments.appointment_reply(ctx, appt, headline, edit=edit)]
