"""create_lead: name + phone is enough; saved at once, the card comes back with buttons."""

from __future__ import annotations

import re
from typing import Any

from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.services.leads import create_lead
from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.card import card_reply

# Something typed like a phone that the parser could not accept ("0912 34"): say so, save nothing.
_PHONE_LIKE = re.compile(r"(?:\+84|0)[\d .\-]{4,14}\d")


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    if not slots.get("phone") and ctx.event.text:
        typed = _PHONE_LIKE.search(ctx.event.text)
        if typed:
            raise DomainError(ErrorCode.INVALID_PHONE, value=typed.group(0).strip())
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
