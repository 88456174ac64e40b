"""Profit and debt (#32): per order, per customer and per opportunity, what was sold, what it
cost, what is paid and what is still owed, for the acting user's scope (operations scope, like
every order report).

Cost of an order = goods at their catalogue cost price × quantity, + the consumables its services
use (ServiceConsumable per session × sessions × the consumable's cost price), + the technicians'
commission on its service lines (line amount × the line's commission %, what the sessions pay out
as they are done). Money is integer VND: a line's consumables are rounded once, per line.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from tortoise.expressions import F
from tortoise.functions import Count, Min, Sum

from spacrm.core.actors import Actor
from spacrm.core.models import CatalogItem, Opportunity, Order, OrderLine, ServiceConsumable
from spacrm.core.permissions import ops_scoped
from spacrm.core.services.reports import Period

PAGE = 2000


@dataclass(slots=True)
class Profit:
    """One order, or the sum of several (a customer, a period)."""

    revenue: int = 0
    goods_cost: int = 0
    consumables_cost: int = 0
    commission: int = 0
    paid: int = 0
    orders: int = 0

    @property
    def cost(self) -> int:
        return self.goods_cost + self.consumables_cost + self.commission

    @property
    def profit(self) -> int:
        return self.revenue - self.cost

    @property
    def outstanding(self) -> int:
        return max(0, self.revenue - self.paid)

    def add(self, other: Profit) -> None:
        self.revenue += other.revenue
        self.goods_cost += other.goods_cost
        self.consumables_cost += other.consumables_cost
        self.commission += other.commission
        self.paid += other.paid
        self.orders += other.orders


@dataclass(slots=True)
class OrderProfit:
    order_id: int
    number: str
    order_date: date
    customer: str
    phone: str
    lead_id: int | None
    owner_id: int
    figures: Profit
    opportunity_id: int | None = None


def _orders(actor: Actor, period: Period, owners: list[int] | None = None) -> Any:
    query = (
        ops_scoped(Order, actor)
        .filter(order_date__gte=period.first, order_date__lte=period.last)
        .exclude(status="cancelled")
    )
    return query if owners is None else query.filter(owner_id__in=owners)


async def _costs(order_ids: list[int]) -> dict[int, Profit]:
    """Goods, consumables and commission per order, from its lines (three small queries)."""
    lines = await OrderLine.filter(order_id__in=order_ids).values_list(
        "order_id", "item_id", "kind", "quantity", "sessions", "amount", "commission_pct"
    )
    items = {int(i) for _, i, *_ in lines if i is not None}
    uses: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for service, consumable, qty in await ServiceConsumable.filter(
        service_id__in=list(items) or [-1]
    ).values_list("service_id", "consumable_id", "quantity"):
        uses[int(service)].append((int(consumable), float(qty)))
    wanted = items | {c for used in uses.values() for c, _ in used}
    cost = dict(await CatalogItem.filter(id__in=list(wanted) or [-1]).values_list("id", "cost"))
    out: dict[int, Profit] = defaultdict(Profit)
    for order_id, item_id, kind, quantity, sessions, amount, pct in lines:
        p = out[int(order_id)]
        if item_id is None:
            continue
        if kind == "service":
            per_session = sum(q * int(cost.get(c) or 0) for c, q in uses.get(int(item_id), []))
            p.consumables_cost += round(per_session * int(sessions or quantity or 0))
            p.commission += int(amount) * int(pct or 0) // 100
        else:
            p.goods_cost += int(cost.get(int(item_id)) or 0) * int(quantity or 0)
    return out


async def order_profits(
    actor: Actor, period: Period, *, owners: list[int] | None = None
) -> AsyncIterator[list[OrderProfit]]:
    """Orders of the period (not cancelled) in the actor's scope (and of `owners` when given), a
    page at a time (id order)."""
    query = _orders(actor, period, owners)
    last = 0
    while True:
        rows = await (
            query.filter(id__gt=last)
            .order_by("id")
            .limit(PAGE)
            .values_list("id", "number", "order_date", "customer_name", "customer_phone",
                         "lead_id", "owner_id", "total", "paid", "opportunity_id")
        )  # fmt: skip
        if not rows:
            return
        last = int(rows[-1][0])
        costs = await _costs([int(r[0]) for r in rows])
        page = []
        for oid, number, day, name, phone, lead_id, owner, total, paid, deal in rows:
            p = costs.get(int(oid), Profit())
            p.revenue, p.paid, p.orders = int(total or 0), int(paid or 0), 1
            page.append(OrderProfit(int(oid), str(number), day, str(name or ""), str(phone or ""),
                                    lead_id, int(owner), p, deal))  # fmt: skip
        yield page


@dataclass(slots=True)
class CustomerProfit:
    customer: str
    phone: str
    lead_id: int | None
    figures: Profit


@dataclass(slots=True)
class ProfitReport:
    period: Period
    total: Profit
    customers: list[CustomerProfit]  # most profitable first


def _customer_key(o: OrderProfit) -> tuple[Any, ...]:
    # Orders of a known customer share the lead; walk-in orders group by the name and phone typed.
    return ("lead", o.lead_id) if o.lead_id else ("walk-in", o.customer, o.phone)


async def profit_report(actor: Actor, period: Period) -> ProfitReport:
    total = Profit()
    customers: dict[tuple[Any, ...], CustomerProfit] = {}
    async for page in order_profits(actor, period):
        for o in page:
            total.add(o.figures)
            key = _customer_key(o)
            if key not in customers:
                customers[key] = CustomerProfit(o.customer, o.phone, o.lead_id, Profit())
            customers[key].figures.add(o.figures)
    ranked = sorted(customers.values(), key=lambda c: (-c.figures.profit, c.customer))
    return ProfitReport(period, total, ranked)


@dataclass(slots=True)
class DealProfit:
    """One opportunity's orders in the period (deal_id None: the orders linked to none)."""

    deal_id: int | None
    name: str
    stage: str
    customer: str
    amount: int  # what the deal was expected to bring
    figures: Profit


async def opportunity_profits(
    actor: Actor, period: Period, *, owners: list[int] | None = None
) -> tuple[Profit, list[DealProfit]]:
    """Profit per opportunity over the period's orders in scope: the total, and one line per deal
    (most profitable first), the unlinked orders last."""
    total = Profit()
    groups: dict[int | None, DealProfit] = {}
    async for page in order_profits(actor, period, owners=owners):
        for o in page:
            total.add(o.figures)
            line = groups.get(o.opportunity_id)
            if line is None:
                line = groups[o.opportunity_id] = DealProfit(o.opportunity_id, "", "", o.customer,
                                                             0, Profit())  # fmt: skip
            line.figures.add(o.figures)
    ids = [i for i in groups if i is not None]
    for deal_id, name, stage, amount in await Opportunity.filter(id__in=ids or [-1]).values_list(
        "id", "name", "stage", "amount"
    ):
        line = groups[int(deal_id)]
        line.name, line.stage, line.amount = str(name), str(stage), int(amount or 0)
    ranked = sorted((g for g in groups.values() if g.deal_id is not None),
                    key=lambda g: (-g.figures.profit, g.name))  # fmt: skip
    if None in groups:
        ranked.append(groups[None])
    return total, ranked


@dataclass(slots=True)
class Debt:
    """What one customer still owes, over all their unpaid orders (not cancelled)."""

    customer: str
    phone: str
    lead_id: int | None
    orders: int
    total: int
    paid: int
    oldest: date

    @property
    def outstanding(self) -> int:
        return self.total - self.paid


async def debts(
    actor: Actor, *, as_of: date | None = None, owners: list[int] | None = None
) -> list[Debt]:
    """Customers with unpaid orders (ordered on or before `as_of`, sold by `owners` when given),
    largest debt first. Summed in SQL, one row per customer."""
    query = ops_scoped(Order, actor).exclude(status="cancelled").filter(paid__lt=F("total"))
    if owners is not None:
        query = query.filter(owner_id__in=owners)
    if as_of is not None:
        query = query.filter(order_date__lte=as_of)
    rows = await (
        query.annotate(n=Count("id"), t=Sum("total"), p=Sum("paid"), first=Min("order_date"))
        .group_by("lead_id", "customer_name", "customer_phone")
        .values_list("lead_id", "customer_name", "customer_phone", "n", "t", "p", "first")
    )
    merged: dict[tuple[Any, ...], Debt] = {}
    for lead_id, name, phone, n, t, p, first in rows:
        first = first if isinstance(first, date) else date.fromisoformat(str(first))
        key = ("lead", lead_id) if lead_id else ("walk-in", name, phone)
        d = merged.get(key)
        if d is None:  # a customer renamed between orders: the first name seen is kept
            merged[key] = Debt(str(name or ""), str(phone or ""), lead_id, int(n), int(t or 0),
                               int(p or 0), first)  # fmt: skip
        else:
            d.orders, d.total, d.paid = (
                d.orders + int(n),
                d.total + int(t or 0),
                d.paid + int(p or 0),
            )
            d.oldest = min(d.oldest, first)
    return sorted(merged.values(), key=lambda d: (-d.outstanding, d.oldest, d.customer))
