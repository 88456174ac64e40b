"""kpi_report (#24): `KPI tháng này của Hoa`, `KPI của tôi` — targets against actuals, as text and
one image; detail for one employee, a summary per employee for a team lead or director."""

from __future__ import annotations

import asyncio
from typing import Any

from spacrm.core.models.kpi import TARGETS
from spacrm.core.services.kpi import KpiLine, kpi_report
from spacrm.core.services.reports import check_period, parse_period, scope_of
from spacrm.core.textnorm import fold
from spacrm.intents import format as fmt
from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.report_labels import period_label, subtitle
from spacrm.reports.charts import kpi as kpi_chart
from spacrm.reports.charts import no_data

INTERACTIONS = ("calls", "meetings", "emails", "quote_emails")
MAX_PEOPLE = 15


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    ctx.done()
    period = parse_period(slots.get("period"))
    check_period(period)
    employee = slots.get("employee")
    if not employee and fold(ctx.event.text or "").find("cua toi") >= 0:
        employee = "me"  # "KPI của tôi" from a manager: their own, not the team's
    lines = await kpi_report(ctx.actor, period=period, employee=employee)
    when = period_label(ctx, period)
    if not lines:
        return [Reply(ctx.t("kpi.nobody", period=when))]
    if len(lines) == 1:
        text, image = await _detail(ctx, lines[0], when)
    else:
        text, image = await _summary(ctx, lines, subtitle(ctx, await scope_of(ctx.actor), period))
    return [Reply(text, files=[(f"kpi-{period.code}.png", image, "image/png")])]


def _value(key: str, n: int) -> str:
    return fmt.money_short(n) if key == "revenue" else str(n)


async def _detail(ctx: Ctx, line: KpiLine, when: str) -> tuple[str, bytes]:
    out = [ctx.t("kpi.head", name=line.name, period=when)]
    out.append(
        ctx.t("kpi.setting", name=line.kpi_name) if line.kpi_name else ctx.t("kpi.no_setting")
    )
    shown = [k for k in TARGETS if line.target.get(k) or line.actual.get(k)]
    for key in shown:
        pct = line.pct(key)
        target = _value(key, line.target[key]) if line.target.get(key) else "—"
        extra = f" ({pct}%)" if pct is not None else ""
        out.append(f"• {ctx.t(f'kpi.t.{key}')}: {_value(key, line.actual[key])}/{target}{extra}")
    if line.conversion_pct is not None:
        out.append(ctx.t("kpi.conversion", pct=line.conversion_pct))
    out.append(ctx.t("kpi.commission", amount=fmt.money(line.commission)))
    targeted = [k for k in TARGETS if line.target.get(k)]
    title = ctx.t("kpi.chart_title", name=line.name)
    if not targeted:  # nothing to measure against: say so rather than draw an empty axis
        return "\n".join(out), await asyncio.to_thread(
            no_data, title, when, ctx.t("kpi.no_targets")
        )
    image = await asyncio.to_thread(
        kpi_chart.render, title, when, [ctx.t(f"kpi.t.{k}") for k in targeted],
        [(ctx.t("kpi.reached"), [line.pct(k) for k in targeted])],
        [f"{_value(k, line.actual[k])}/{_value(k, line.target[k])}" for k in targeted],
    )  # fmt: skip
    return "\n".join(out), image


def _sum_pct(line: KpiLine, keys: tuple[str, ...]) -> tuple[int, int, int | None]:
    actual = sum(line.actual[k] for k in keys)
    target = sum(line.target.get(k, 0) for k in keys)
    return actual, target, (round(100 * actual / target) if target else None)


async def _summary(ctx: Ctx, lines: list[KpiLine], sub: str) -> tuple[str, bytes]:
    out = [ctx.t("kpi.summary_head", scope=sub)]
    # Best revenue first; a chat message and a phone-sized image hold the top of a big branch.
    lines = sorted(lines, key=lambda ln: (-ln.actual["revenue"], ln.name))
    hidden = max(0, len(lines) - MAX_PEOPLE)
    lines = lines[:MAX_PEOPLE]
    revenue, leads, touches = [], [], []
    for line in lines:
        r = _sum_pct(line, ("revenue",))
        n = _sum_pct(line, ("new_leads",))
        i = _sum_pct(line, INTERACTIONS)
        revenue.append(r[2])
        leads.append(n[2])
        touches.append(i[2])
        out.append(ctx.t(
            "kpi.summary_line", name=line.name, revenue=fmt.money_short(r[0]),
            revenue_target=fmt.money_short(r[1]) if r[1] else "—", leads=n[0],
            leads_target=n[1] or "—", touches=i[0], touches_target=i[1] or "—",
            conversion=f"{line.conversion_pct}%" if line.conversion_pct is not None else "—",
            commission=fmt.money_short(line.commission),
        ))  # fmt: skip
    if hidden:
        out.append(ctx.t("kpi.more", n=hidden))
    image = await asyncio.to_thread(
        kpi_chart.render, ctx.t("kpi.summary_title"), sub, [line.name for line in lines],
        [(ctx.t("kpi.t.revenue"), revenue), (ctx.t("kpi.t.new_leads"), leads),
         (ctx.t("kpi.interactions"), touches)],
    )  # fmt: skip
    return "\n".join(out), image


async def mine(ctx: Ctx, args: list[str]) -> list[Reply]:
    """The "KPI của tôi" button of /baocao."""
    return await run(ctx, {"employee": "me"})
