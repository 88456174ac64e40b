"""profit_report (#32): `lợi nhuận tháng này`, `lãi lỗ tháng 10` — revenue, cost (goods,
consumables, commission), profit, paid and outstanding for the asker's scope, the most profitable
customers, and the per-order detail as an xlsx file; `lợi nhuận theo cơ hội …` per opportunity."""

from __future__ import annotations

from typing import Any

from spacrm.core.services.profit import Profit, opportunity_profits, profit_report
from spacrm.core.services.reports import check_period, parse_period, scope_of
from spacrm.intents import format as fmt
from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.export_report import XLSX, build
from spacrm.intents.staff.report_labels import subtitle

SHOWN = 5


def _margin(p: Profit) -> str:
    return f"{round(100 * p.profit / p.revenue)}%" if p.revenue else "—"


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    ctx.done()
    ctx.intent = "profit_report"
    period = parse_period(slots.get("period"))
    check_period(period)
    if slots.get("by") == "opportunity":
        return await by_opportunity(ctx, slots)
    report = await profit_report(ctx.actor, period)
    head = subtitle(ctx, await scope_of(ctx.actor), period)
    t = report.total
    if not t.orders:
        return [Reply(ctx.t("profit.none", scope=head))]
    out = [
        ctx.t("profit.head", scope=head),
        ctx.t("profit.revenue", amount=fmt.money(t.revenue), n=t.orders),
        ctx.t("profit.cost", goods=fmt.money(t.goods_cost),
              consumables=fmt.money(t.consumables_cost), commission=fmt.money(t.commission)),
        ctx.t("profit.profit", amount=fmt.money(t.profit), margin=_margin(t)),
        ctx.t("profit.paid", paid=fmt.money(t.paid), outstanding=fmt.money(t.outstanding)),
    ]  # fmt: skip
    if report.customers:
        out.append(ctx.t("profit.top"))
        for c in report.customers[:SHOWN]:
            f = c.figures
            out.append(ctx.t("profit.line", name=c.customer, revenue=fmt.money_short(f.revenue),
                             profit=fmt.money(f.profit),
                             outstanding=fmt.money_short(f.outstanding)))  # fmt: skip
    name, data, _ = await build(ctx, "profit", slots.get("period"))
    return [Reply("\n".join(out), files=[(name, data, XLSX)])]


async def by_opportunity(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    """`lợi nhuận theo cơ hội tháng này`: the same figures per opportunity (the orders linked to
    none in one last line), and the xlsx of every opportunity."""
    period = parse_period(slots.get("period"))
    total, deals = await opportunity_profits(ctx.actor, period)
    head = subtitle(ctx, await scope_of(ctx.actor), period)
    if not total.orders:
        return [Reply(ctx.t("profit.none", scope=head))]
    out = [
        ctx.t("profit.deal_head", scope=head),
        ctx.t("profit.revenue", amount=fmt.money(total.revenue), n=total.orders),
        ctx.t("profit.profit", amount=fmt.money(total.profit), margin=_margin(total)),
    ]
    linked = [d for d in deals if d.deal_id is not None]
    for d in linked[:SHOWN]:
        f = d.figures
        out.append(ctx.t("profit.deal_line", name=d.name, stage=ctx.t(f"dstage.{d.stage}"),
                         customer=d.customer, n=f.orders, revenue=fmt.money_short(f.revenue),
                         cost=fmt.money_short(f.cost), profit=fmt.money(f.profit),
                         paid=fmt.money_short(f.paid),
                         outstanding=fmt.money_short(f.outstanding)))  # fmt: skip
    if len(linked) > SHOWN:
        out.append(ctx.t("profit.deal_more", n=len(linked) - SHOWN))
    unlinked = next((d for d in deals if d.deal_id is None), None)
    if unlinked is not None:
        f = unlinked.figures
        out.append(ctx.t("profit.deal_none", n=f.orders, revenue=fmt.money_short(f.revenue),
                         profit=fmt.money(f.profit)))  # fmt: skip
    name, data, _ = await build(ctx, "profit_opportunity", slots.get("period"))
    return [Reply("\n".join(out), files=[(name, data, XLSX)])]
