"""add_note: "ghi chú chị Lan thích mùi oải hương" keeps a free note in the customer's history."""

from __future__ import annotations

from typing import Any

from spacrm.core.services.activities import add_note
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.resolve import resolve_lead
from spacrm.intents.staff.undo import undo_button

SHOWN = 80


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    if slots.get("text") and not slots.get("note"):
        slots["note"] = slots.pop("text")  # the answer to "what should the note say?"
    found = await resolve_lead(ctx, "add_note", slots)
    if isinstance(found, list):
        return found
    lead = found
    slots["lead_id"] = lead.id
    note = str(slots.get("note") or "").strip()
    if not note:
        return ctx.ask("add_note", slots, "text", ctx.t("ask.note", name=lead.name))
    act = await add_note(ctx.actor, lead_id=lead.id, note=note)
    ctx.done()
    ctx.changed("note", lead_id=lead.id, activity_id=act.id)
    short = note if len(note) <= SHOWN else note[: SHOWN - 1] + "…"
    buttons = [[undo_button(ctx), Button(ctx.t("btn.card"), f"lc:{lead.id}")]]
    return [Reply(ctx.t("ok.noted", name=lead.name, note=short), buttons)]
