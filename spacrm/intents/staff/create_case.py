"""create_case (#15): "tạo vụ việc chị Lan 0912345678 phàn nàn da bị kích ứng" opens a case on
the lead; asks for the customer or the complaint when either is missing."""

from __future__ import annotations

from typing import Any

from spacrm.core.services import cases
from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.case_card import case_reply
from spacrm.intents.staff.resolve import lead_and_note

TITLE_CHARS = 120


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    found = await lead_and_note(ctx, "create_case", slots, "ask.case_note")
    if isinstance(found, list):
        return found
    lead, note = found
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
