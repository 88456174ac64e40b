"""check_in: "chị Lan tới rồi" — the customer's appointment of today becomes checked in."""

from __future__ import annotations

from typing import Any

from spacrm.core.services.sessions import check_in
from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff import appointments


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    found = await appointments.find(ctx, "check_in", slots, ("booked", "confirmed"))
    if isinstance(found, list):
        return found
    return await apply(ctx, found.id)


async def apply(ctx: Ctx, appointment_id: int, *, edit: bool = False) -> list[Reply]:
    appt = await check_in(ctx.actor, appointment_id=appointment_id)
    headline = ctx.t("ok.checked_in", name=appt.customer_name)
    return [await appointments.appointment_reply(ctx, appt, headline, edit=edit)]
