"""add_note: "ghi chú chị Lan thích mùi oải hương" keeps a free note in the customer's history."""

from __future__ import annotations

from typing import Any

from spacrm.core.services.activities import add_note
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.resolve import lead_and_note
from spacrm.intents.staff.undo import undo_button

SHOWN = 80


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    found = await lead_and_note(ctx, "add_note", slots, "ask.note")
    if isinstance(found, list):
        return found
    lead, note = found
    act = await add_note(ctx.actor, lead_id=lead.id, note=note)
    ctx.done()
    ctx.changed("note", lead_id=lead.id, activity_id=act.id)
    short = note if len(note) <= SHOWN else note[: SHOWN - 1] + "…"
    buttons = [[undo_button(ctx), Button(ctx.t("btn.card"), f"lc:{lead.id}")]]
    return [Reply(ctx.t("ok.noted", name=lead.name, note=short), buttons)]
