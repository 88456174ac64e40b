"""dashboard (#1): what exists so far, for the user's scope."""

from __future__ import annotations

from typing import Any

from spacrm.core.services.dashboard import dashboard
from spacrm.core.stages import LEAD_STAGES
from spacrm.intents import format as fmt
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    ctx.done()
    d = await dashboard(ctx.actor)
    lines = [
        ctx.t("dash.head", name=ctx.actor.name),
        ctx.t("dash.calls", n=d.calls_week),
        ctx.t("dash.meetings", n=d.meetings_week),
        ctx.t("dash.leads", n=d.leads_month),
        ctx.t("dash.customers", n=d.customers),
        ctx.t("dash.planned", n=d.planned),
    ]
    if d.orders_week or d.receipts_week or d.payments_week or d.active_courses:
        lines.append(ctx.t("dash.orders", n=d.orders_week, amount=fmt.money(d.sales_week)))
        lines.append(ctx.t("dash.money", inflow=fmt.money(d.receipts_week),
                           outflow=fmt.money(d.payments_week)))  # fmt: skip
        lines.append(ctx.t("dash.courses", n=d.active_courses))
    if d.open_complaints:
        lines.append(ctx.t("dash.complaints", n=d.open_complaints))
    if d.by_stage:
        lines.append(
            " · ".join(
                f"{fmt.stage(s, ctx.lang)}: {d.by_stage[s]}" for s in LEAD_STAGES if s in d.by_stage
            )
        )
    if slots.get("period"):
        lines.append(ctx.t("dash.period_note"))
    buttons = [
        [
            Button(fmt.stage("potential", ctx.lang), "ls:pcd:0"),
            Button(fmt.stage("caring", ctx.lang), "ls:ccd:0"),
        ]
    ]
    return [Reply("\n".join(lines), buttons)]
