"""profit_report (#32): `lợi nhuận tháng này`, `lãi lỗ tháng 10` — revenue, cost (goods,
consumables, commission), profit, paid and outstanding for the asker's scope, the most profitable
customers, and the per-order detail as an xlsx file."""

from __future__ import annotations

from typing import Any

from spacrm.core.services.profit import Profit, profit_report
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
