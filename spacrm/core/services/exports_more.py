"""More Excel exports (#10): profit per order and debts per customer (#32), CRM usage (#33),
stock (opening / in / out / closing per branch) and the month's payroll run.
exports.export_rows dispatches here; rows are the same Export shape."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

from tortoise.functions import Sum

from spacrm.core import clock
from spacrm.core.actors import Actor, Role
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import Branch, CatalogItem, StockMove, User, Warehouse
from spacrm.core.services.exports import Export, Row, _cols, _local, _one_page
from spacrm.core.services.payroll import payroll_rows
from spacrm.core.services.profit import debts, opportunity_profits, order_profits
from spacrm.core.services.reports import Period
from spacrm.core.services.usage import usage_report

KINDS = ("profit", "debts", "usage", "stock", "payroll", "profit_opportunity")
# Payslip line keys, in the order of the payslip (core/services/payroll).
PAY_KEYS = ("base", "unpaid_leave", "allowance", "overtime", "commission", "order_commission",
            "bonus", "penalty", "insurance", "income_tax", "advance")  # fmt: skip


async def more_rows(
    actor: Actor, kind: str, period: Period, owners: list[int] | None = None
) -> Export:
    """`owners`: only these employees' rows (None: everyone in scope). Stock belongs to
    branches, not people: it has no employee filter."""
    if kind == "profit":
        return Export(kind, period, _cols(
            "number:text order_date:date customer:text phone:text revenue_order:money goods_cost:money "
            "consumables_cost:money commission_cost:money profit:money paid:money "
            "outstanding:money employee:text"
        ), _profit_pages(actor, period, owners))  # fmt: skip
    if kind == "debts":
        as_of = min(period.last, clock.today())
        rows: list[Row] = [
            (d.customer, d.phone, d.orders, d.total, d.paid, d.outstanding, d.oldest)
            for d in await debts(actor, as_of=as_of, owners=owners)
        ]
        cols = "customer:text phone:text orders_n:int total:money paid:money outstanding:money oldest_order:date"
        return Export(kind, period, _cols(cols), _one_page(rows))
    if kind == "profit_opportunity":
        return await _by_opportunity(actor, period, owners)
    if kind == "stock":
        return await _stock(actor, period)
    if kind == "payroll":
        return await _payroll(actor, period, owners)
    lines = await usage_report(actor, period, user_ids=owners)
    rows = [
        (ln.name, ln.chat, ln.console, ln.changes,
         ", ".join(f"{c} {n}" for c, n in ln.channels.most_common()),
         ", ".join(f"{a} {n}" for a, n in ln.top(5)), _local(ln.last_at),
         sum(ln.created.values()), sum(ln.updated.values()),
         _kinds(ln.created), _kinds(ln.updated))
        for ln in lines
    ]  # fmt: skip
    cols = ("employee:text chat_turns:int console_actions:int changes:int channels:text "
            "top_actions:text last_used:datetime records_created:int records_changed:int "
            "record_kinds_created:text record_kinds_changed:text")  # fmt: skip
    return Export(kind, period, _cols(cols), _one_page(rows))


def _kinds(counts: Counter[str]) -> str:
    """ "order 2, voucher 1": most first, then by kind (the same on every database)."""
    return ", ".join(f"{k} {n}" for k, n in sorted(counts.items(), key=lambda kn: (-kn[1], kn[0])))


async def _profit_pages(
    actor: Actor, period: Period, owners: list[int] | None
) -> AsyncIterator[list[Row]]:
    names = {int(i): str(n) for i, n in await User.all().values_list("id", "full_name")}
    async for page in order_profits(actor, period, owners=owners):
        yield [
            (o.number, o.order_date, o.customer, o.phone, o.figures.revenue, o.figures.goods_cost,
             o.figures.consumables_cost, o.figures.commission, o.figures.profit, o.figures.paid,
             o.figures.outstanding, names.get(o.owner_id, ""))
            for o in page
        ]  # fmt: skip


async def _by_opportunity(actor: Actor, period: Period, owners: list[int] | None) -> Export:
    """One row per opportunity (the unlinked orders in one last row with no name)."""
    _, lines = await opportunity_profits(actor, period, owners=owners)
    rows: list[Row] = [
        (g.name, g.stage, g.customer if g.deal_id else "", g.amount if g.deal_id else None,
         g.figures.orders, g.figures.revenue, g.figures.goods_cost, g.figures.consumables_cost,
         g.figures.commission, g.figures.profit, g.figures.paid, g.figures.outstanding)
        for g in lines
    ]  # fmt: skip
    cols = ("opportunity:text deal_stage:text customer:text deal_amount:money orders_n:int "
            "revenue_order:money goods_cost:money consumables_cost:money commission_cost:money "
            "profit:money paid:money outstanding:money")  # fmt: skip
    return Export("profit_opportunity", period, _cols(cols), _one_page(rows))


async def _branches_of(actor: Actor) -> list[int]:
    """The branches whose warehouses the actor may read (stock is per branch, not per owner)."""
    query = Branch.all()
    if not actor.sees_all:
        if actor.role == Role.REGION:
            query = query.filter(region_id=actor.region_id if actor.region_id is not None else -1)
        else:
            mine = set(actor.branch_ids) | {actor.home_branch_id or -1}
            query = query.filter(id__in=list(mine))
    ids: list[Any] = list(await query.values_list("id", flat=True))
    return [int(i) for i in ids]


async def _stock(actor: Actor, period: Period) -> Export:
    """Opening, in, out and closing per branch and product over the period (xuất nhập tồn), and
    the closing stock's value at cost price: summed from the ledger in SQL."""
    branches = dict(
        await Warehouse.filter(branch_id__in=await _branches_of(actor) or [-1]).values_list(
            "id", "branch_id"
        )
    )
    moves = StockMove.filter(warehouse_id__in=list(branches) or [-1])
    opening = await (
        moves.filter(created_at__lt=period.start)
        .annotate(q=Sum("qty_milli"))
        .group_by("warehouse_id", "product_id")
        .values_list("warehouse_id", "product_id", "q")
    )
    during = moves.filter(created_at__gte=period.start, created_at__lt=period.end)
    ins = await (
        during.filter(qty_milli__gt=0)
        .annotate(q=Sum("qty_milli"))
        .group_by("warehouse_id", "product_id")
        .values_list("warehouse_id", "product_id", "q")
    )
    outs = await (
        during.filter(qty_milli__lt=0)
        .annotate(q=Sum("qty_milli"))
        .group_by("warehouse_id", "product_id")
        .values_list("warehouse_id", "product_id", "q")
    )
    table: dict[tuple[int, int], list[int]] = {}
    for i, rows in enumerate((opening, ins, outs)):
        for wh, product, q in rows:
            table.setdefault((int(wh), int(product)), [0, 0, 0])[i] = int(q or 0)
    names = {int(i): str(n) for i, n in await Branch.all().values_list("id", "name")}
    items = {
        int(i): (str(c), str(n), str(u), int(cost or 0))
        for i, c, n, u, cost in await CatalogItem.filter(
            id__in=list({p for _, p in table}) or [-1]
        ).values_list("id", "code", "name", "unit", "cost")
    }
    rows_out: list[Row] = []
    for (wh, product), (first, got, gave) in table.items():
        code, name, unit, cost = items.get(product, ("", f"#{product}", "", 0))
        closing = first + got + gave
        rows_out.append((names.get(branches[wh], ""), code, name, unit, first / 1000, got / 1000,
                         -gave / 1000, closing / 1000, closing * cost // 1000))  # fmt: skip
    rows_out.sort(key=lambda r: (str(r[0]), str(r[2])))
    cols = ("branch:text product_code:text product:text unit:text opening:qty stock_in:qty "
            "stock_out:qty closing:qty stock_value:money")  # fmt: skip
    return Export("stock", period, _cols(cols), _one_page(rows_out))


async def _payroll(actor: Actor, period: Period, owners: list[int] | None) -> Export:
    """The month's saved payroll run, one row per payslip (people with payroll rights only)."""
    if period.kind != "month":
        raise DomainError(ErrorCode.BAD_PERIOD, value=period.code)
    rows: list[Row] = []
    wanted = (
        None if owners is None
        else {str(x) for x in await User.filter(id__in=owners).values_list("login", flat=True)}
    )  # fmt: skip
    for login, name, slip in await payroll_rows(actor, month=period.code):
        if wanted is not None and login not in wanted:
            continue
        amounts = dict.fromkeys(PAY_KEYS, 0)
        for key, amount, _ in slip.lines:
            amounts[str(key)] = amounts.get(str(key), 0) + int(amount)
        rows.append((name, login, *(amounts[k] for k in PAY_KEYS), slip.gross, slip.net))
    cols = "employee:text login:text " + " ".join(f"pay_{k}:money" for k in PAY_KEYS)
    return Export("payroll", period, _cols(cols + " gross:money net:money"), _one_page(rows))
