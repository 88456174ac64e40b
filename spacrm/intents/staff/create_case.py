"""create_case (#15): "tạo vụ việc chị Lan 0912345678 phàn nàn da bị kích ứng" opens a case on
the lead; asks for the customer or the complaint when either is missing."""

from __future__ import annotations

from typing import Any

from spacrm.core.services import cases
from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.case_card import case_reply
from spacrm.intents.staff.resolve import resolve_lead

TITLE_CHARS = 120


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    if slots.get("text") and not slots.get("note"):
        slots["note"] = slots.pop("text")  # the answer to "what is the complaint?"
    found = await resolve_lead(ctx, "create_case", slots)
    if isinstance(found, list):
        return found
    lead = found
    slots["lead_id"] = lead.id
    note = str(slots.get("note") or "").strip()
    if not note:
        return ctx.ask("create_case", slots, "text", ctx.t("ask.case_note", name=lead.name))
    ctx.done()
    title = note if len(note) <= TITLE_CHARS else note[: TITLE_CHARS - 1].rstrip() + "…"
    case = await cases.create_case(ctx.actor, lead_id=lead.id, title=title, description=note)
    ctx.set_focus(lead.id)
    ctx.changed("case", lead_id=lead.id, case_id=case.id)  # not undoable: "hoàn tác" says so
    return [
        await case_reply(
            ctx, case.id, headline=ctx.t("ok.case_created", id=case.id, name=lead.name)
        )
    ]
