"""log_activity: a done call/meeting/email/quote email, optionally with the next appointment."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from spacrm.core import clock
from spacrm.core.services.activities import log_activity
from spacrm.core.stages import ACTIVITY_KINDS
from spacrm.intents import format as fmt
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.resolve import resolve_lead
from spacrm.intents.staff.undo import undo_button


def kind_buttons(ctx: Ctx, prefix: str) -> list[list[Button]]:
    return [[Button(fmt.kind(k, ctx.lang), f"{prefix}{k}") for k in ACTIVITY_KINDS[:2]],
            [Button(fmt.kind(k, ctx.lang), f"{prefix}{k}") for k in ACTIVITY_KINDS[2:]]]  # fmt: skip


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    found = await resolve_lead(ctx, "log_activity", slots)
    if isinstance(found, list):
        return found
    lead = found
    slots["lead_id"] = lead.id
    if not slots.get("kind"):
        return ctx.ask(
            "log_activity",
            slots,
            "kind",
            ctx.t("ask.kind", name=lead.name),
            kind_buttons(ctx, "kd:"),
        )
    next_at = None
    if slots.get("next_date"):
        day = date.fromisoformat(slots["next_date"])
        at = time.fromisoformat(slots["next_time"]) if slots.get("next_time") else None
        next_at = clock.at_local(day, at)
    logged = await log_activity(
        ctx.actor, lead_id=lead.id, kind=str(slots["kind"]), note=slots.get("note") or ctx.event.text,
        next_at=next_at, next_kind="call" if next_at else None,
    )  # fmt: skip
    ctx.done()
    planned_id = logged.planned.id if logged.planned else None
    ctx.changed("logged", lead_id=lead.id, activity_id=logged.activity.id, planned_id=planned_id)
    text = ctx.t("ok.logged", kind=fmt.kind(str(slots["kind"]), ctx.lang).lower(), name=lead.name,
                 phone=f" ({fmt.phone(lead.phone)})" if lead.phone else "")  # fmt: skip
    if logged.planned and logged.planned.due_at:
        text += "\n" + ctx.t("ok.next_planned", when=fmt.when(logged.planned.due_at, ctx.lang))
    buttons = [
        [Button(ctx.t("btn.card"), f"lc:{lead.id}"), Button(ctx.t("btn.plan"), f"pl:{lead.id}")],
        [undo_button(ctx)],
    ]
    return [Reply(text, buttons)]
