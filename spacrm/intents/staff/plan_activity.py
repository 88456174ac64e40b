"""plan_activity: put a call/meeting in the plan; a reminder reaches the owner at that time."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from spacrm.core import clock
from spacrm.core.services.activities import plan_activity
from spacrm.intents import format as fmt
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.resolve import resolve_lead


def date_buttons(ctx: Ctx) -> list[list[Button]]:
    today = clock.today()
    days = [today, today + timedelta(days=1), today + timedelta(days=2)]
    labels = [ctx.t("rel.today"), ctx.t("rel.tomorrow"), fmt.day(days[2], ctx.lang)]
    return [[Button(label, f"dt:{d.isoformat()}") for label, d in zip(labels, days, strict=True)]]


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    found = await resolve_lead(ctx, "plan_activity", slots)
    if isinstance(found, list):
        return found
    lead = found
    slots["lead_id"] = lead.id
    if not slots.get("date"):
        return ctx.ask(
            "plan_activity", slots, "date", ctx.t("ask.date", name=lead.name), date_buttons(ctx)
        )
    day = date.fromisoformat(slots["date"])
    at = time.fromisoformat(slots["time"]) if slots.get("time") else None
    due = clock.at_local(day, at)
    kind = str(slots.get("kind") or "call")
    act = await plan_activity(
        ctx.actor, lead_id=lead.id, kind=kind, due_at=due, note=slots.get("note") or ctx.event.text
    )
    ctx.done()
    ctx.changed("planned", lead_id=lead.id, activity_id=act.id)
    text = ctx.t(
        "ok.planned",
        kind=fmt.kind(kind, ctx.lang).lower(),
        name=lead.name,
        when=fmt.when(due, ctx.lang),
    )
    if due < clock.now():
        text += "\n" + ctx.t("warn.past")
    return [
        Reply(
            text,
            [
                [
                    Button(ctx.t("btn.card"), f"lc:{lead.id}"),
                    Button(ctx.t("btn.undo"), f"ud:{act.id}"),
                ]
            ],
        )
    ]
