"""create_lead: name + phone is enough; saved at once, the card comes back with buttons."""

from __future__ import annotations

from typing import Any

from spacrm.core.services.leads import create_lead
from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.card import card_reply


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    name = slots.get("customer")
    if not name:
        return ctx.ask("create_lead", slots, "name", ctx.t("ask.lead_name"))
    lead = await create_lead(
        ctx.actor,
        name=str(name),
        phone=slots.get("phone"),
        email=slots.get("email"),
        source=slots.get("source"),
        needs=slots.get("interest") or slots.get("note"),
        company=slots.get("company"),
        tax_code=slots.get("tax_code"),
    )
    ctx.done()
    return [await card_reply(ctx, lead.id, headline=ctx.t("ok.lead_created", name=lead.name))]
