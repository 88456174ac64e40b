"""show_customer: look up by name part, phone, last digits, email, tax code or citizen ID."""

from __future__ import annotations

from typing import Any

from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.card import card_reply
from spacrm.intents.staff.resolve import resolve_lead


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    found = await resolve_lead(ctx, "show_customer", slots)
    if isinstance(found, list):
        return found
    ctx.done()
    return [await card_reply(ctx, found.id)]
