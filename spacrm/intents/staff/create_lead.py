"""create_lead: name + phone is enough; saved at once, the card comes back with buttons.

A value typed with the lead ("12tr") is stored on it. When the lead is added from "not found"
(the customer of a call, a complaint…), the request that found nobody is done right after."""

from __future__ import annotations

from typing import Any

from spacrm.core.services.leads import create_lead
from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.card import card_reply
from spacrm.intents.staff.resolve import check_typed_identifiers


def _value(slots: dict[str, Any]) -> int:
    raw = slots.get("value", slots.get("amount"))
    return raw if isinstance(raw, int) and raw > 0 else 0


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    check_typed_identifiers(ctx, slots)
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
        citizen_id=slots.get("citizen_id"),
        value=_value(slots),
    )
    ctx.done()
    ctx.changed("lead", lead_id=lead.id)
    replies = [await card_reply(ctx, lead.id, headline=ctx.t("ok.lead_created", name=lead.name))]
    then = slots.get("_then")
    if isinstance(then, dict) and then.get("intent"):
        from spacrm.intents.staff import intents

        rest = {**then.get("slots", {}), "lead_id": lead.id}
        replies += await intents()[str(then["intent"])](ctx, rest)
    return replies
