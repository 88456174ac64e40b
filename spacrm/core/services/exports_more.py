"""More Excel exports (#10): profit per order and debts per customer (#32), CRM usage (#33).
exports.export_rows dispatches here; rows are the same Export shape."""

from __future__ import annotations

from collections.abc import AsyncIterator

from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.models import User
from spacrm.core.services.exports import Column, Export, Row, _cols, _local, _one_page
from spacrm.core.services.profit import debts, order_profits
from spacrm.core.services.reports import Period
from spacrm.core.services.usage import usage_report

KINDS = ("profit", "debts", "usage")


async def more_rows(actor: Actor, kind: str, period: Period) -> Export:
    if kind == "profit":
        return Export(kind, period, _cols(
            "number:text order_date:date customer:text phone:text revenue_order:money goods_cost:money "
            "consumables_cost:money commission_cost:money profit:money paid:money "
            "outstanding:money employee:text"
        ), _profit_pages(actor, period))  # fmt: skip
    if kind == "debts":
        as_of = min(period.last, clock.today())
        rows: list[Row] = [
            (d.customer, d.phone, d.orders, d.total, d.paid, d.outstanding, d.oldest)
            for d in await debts(actor, as_of=as_of)
        ]
        cols = "customer:text phone:text orders_n:int total:money paid:money outstanding:money oldest_order:date"
        return Export(kind, period, _cols(cols), _one_page(rows))
    lines = await usage_report(actor, period)
    rows = [
        (ln.name, ln.chat, ln.console, ln.changes,
         ", ".join(f"{c} {n}" for c, n in ln.channels.most_common()),
         ", ".join(f"{a} {n}" for a, n in ln.top(5)), _local(ln.last_at))
        for ln in lines
    ]  # fmt: skip
    cols = "employee:text chat_turns:int console_actions:int changes:int channels:text top_actions:text last_used:datetime"
    return Export(kind, period, [Column(*c.split(":")) for c in cols.split()], _one_page(rows))


async def _profit_pages(actor: Actor, period: Period) -> AsyncIterator[list[Row]]:
    names = {int(i): str(n) for i, n in await User.all().values_list("id", "full_name")}
    async for page in order_profits(actor, period):
        yield [
            (o.number, o.order_date, o.customer, o.phone, o.figures.revenue, o.figures.goods_cost,
             o.figures.consumables_cost, o.figures.commission, o.figures.profit, o.figures.paid,
             o.figures.outstanding, names.get(o.owner_id, ""))
            for o in page
        ]  # fmt: skip
