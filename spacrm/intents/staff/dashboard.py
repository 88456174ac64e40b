"""dashboard (#1): the user's scope over a period (this week by default) as a short text and
one image (leads by stage, sales and money in / out)."""

from __future__ import annotations

import asyncio
from typing import Any

from spacrm.core.services.overview import overview
from spacrm.core.services.reports import check_period, parse_period, scope_of
from spacrm.core.stages import LEAD_STAGES
from spacrm.intents import format as fmt
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.report_labels import period_label, period_phrase, scope_label
from spacrm.reports.charts.dashboard import render


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    ctx.done()
    period = parse_period(slots.get("period"), default="week")
    check_period(period)
    d = await overview(ctx.actor, period)
    scope = await scope_of(ctx.actor)
    when = period_label(ctx, period)
    lines = [
        ctx.t("rdash.head", scope=scope_label(ctx, scope), period=when),
        ctx.t(
            "rdash.activity",
            when=period_phrase(ctx, period),
            calls=d.calls,
            meetings=d.meetings,
            leads=d.leads_created,
        ),
        ctx.t("rdash.customers", n=d.customers),
        ctx.t("rdash.orders", n=d.orders, amount=fmt.money(d.sales)),
        ctx.t("rdash.money", inflow=fmt.money(d.receipts), outflow=fmt.money(d.payments)),
        ctx.t("rdash.courses", n=d.active_courses),
    ]
    if d.appointments_today:
        a = d.appointments_today
        lines.append(ctx.t("dash.appointments", n=sum(a.values()), arrived=a.get("checked_in", 0),
                           done=a.get("done", 0), no_show=a.get("no_show", 0)))  # fmt: skip
    if d.open_complaints:
        lines.append(ctx.t("dash.complaints", n=d.open_complaints))
    if d.by_stage:
        lines.append(
            " · ".join(
                f"{fmt.stage(s, ctx.lang)}: {d.by_stage[s]}" for s in LEAD_STAGES if s in d.by_stage
            )
        )
    image = await asyncio.to_thread(render, d, ctx.t, f"{scope_label(ctx, scope)} · {when}")
    buttons = [
        [
            Button(fmt.stage("potential", ctx.lang), "ls:pcd:0"),
            Button(fmt.stage("caring", ctx.lang), "ls:ccd:0"),
        ],
        [Button(ctx.t("btn.reports"), "rm")],
    ]
    return [
        Reply(
            "\n".join(lines), buttons, files=[(f"dashboard-{period.code}.png", image, "image/png")]
        )
    ]
