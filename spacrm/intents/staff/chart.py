"""chart (#18, #24): one of the eight charts as a PNG for the user's scope; the /baocao menu."""

from __future__ import annotations

import asyncio
from typing import Any

from spacrm.core.services.reports import REPORTS, chart_data, check_period, parse_period, scope_of
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff import debt_report, profit_report, usage_report
from spacrm.intents.staff.report_labels import period_label, subtitle
from spacrm.reports.charts import render

EXPORTS = ("sales_activity_summary", "sales_activity_detail", "leads", "orders")
# Reports the parser names like a chart but that answer with their own text, image and file.
OTHER = {"debts": debt_report.run, "profit": profit_report.run, "crm_usage": usage_report.run}


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    ctx.done()
    report = slots.get("report")
    if not report:
        return menu(ctx)
    if report in OTHER:  # reports with their own intent (profit, debts, usage)
        return await OTHER[report](ctx, slots)
    if report not in REPORTS:
        return [Reply(ctx.t("err.unknown_report", value=report), menu(ctx)[0].buttons)]
    default = "year" if report == "conversions_by_month" else "month"
    period = parse_period(slots.get("period"), default=default)
    check_period(period)
    data = await chart_data(ctx.actor, report, period)
    scope = await scope_of(ctx.actor)
    image = await asyncio.to_thread(render, data, ctx.t, subtitle(ctx, scope, data.period))
    key = "chart.caption_empty" if data.empty else "chart.caption"
    text = ctx.t(key, title=ctx.t(f"chart.{report}"), period=period_label(ctx, data.period))
    name = f"{report}-{data.period.code}.png"
    return [Reply(text, files=[(name, image, "image/png")])]


def menu(ctx: Ctx) -> list[Reply]:
    """/baocao: every chart, the KPI report and the common exports as buttons."""
    rows = [[Button(ctx.t(f"chart.{r}"), f"rp:{r}")] for r in REPORTS]
    rows.append([Button(ctx.t("btn.kpi_mine"), "rk:me")])
    rows.append([Button(ctx.t("btn.profit"), "rp:profit"), Button(ctx.t("btn.debts"), "rp:debts"),
                 Button(ctx.t("btn.usage"), "rp:crm_usage")])  # fmt: skip
    rows += [[Button(ctx.t(f"export.{r}"), f"rx:{r}")] for r in EXPORTS]
    return [Reply(ctx.t("report.menu"), rows)]


async def from_button(ctx: Ctx, args: list[str]) -> list[Reply]:
    return await run(ctx, {"report": args[0]})
