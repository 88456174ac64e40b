"""The order roll-ups (order_day, lead_buy) give exactly what the raw order queries gave: the KPI's
revenue and new / returning buyers, the orders-per-employee chart and the dashboard's orders and
sales — on randomised orders that are then cancelled and restored, moved between days and months,
re-priced, moved to another customer, employee or site (ORM saves and bulk updates) and deleted,
for every scope level (the front desk's site branch too) and several periods, on the database
the run uses.

The reference function below is the query the KPI ran before the roll-ups existed."""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta
from typing import Any

import pytest
from tortoise.expressions import Subquery
from tortoise.functions import Count, Sum

from spacrm.core.actors import Actor
from spacrm.core.models import Branch, Lead, Order, User
from spacrm.core.permissions import ops_scoped
from spacrm.core.services.overview import overview
from spacrm.core.services.reports import Period, chart_data
from spacrm.core.services.rollup import rebuild
from spacrm.core.textnorm import fold
from tests.conftest import new_phone
from tests.reports.rollup_check import STAFF, compare, own, rows

pytestmark = pytest.mark.usefixtures("db")

# 2018: no other test writes orders there, so a failure points at this data.
FIRST, LAST = date(2018, 1, 1), date(2018, 3, 31)
_numbers = itertools.count(1)


async def _raw_kpi_orders(
    actor: Actor, period: Period, ids: list[int]
) -> dict[int, dict[str, int]]:
    orders = ops_scoped(Order, actor).filter(owner_id__in=ids).exclude(status="cancelled")
    in_period = orders.filter(order_date__gte=period.first, order_date__lte=period.last)
    out = {i: {"revenue": 0, "new_buyers": 0, "returning_buyers": 0} for i in ids}
    for owner, total in (
        await in_period.annotate(s=Sum("total")).group_by("owner_id").values_list("owner_id", "s")
    ):
        out[int(owner)]["revenue"] = int(total or 0)
    bought = in_period.filter(lead_id__isnull=False)
    buyers = set(await bought.distinct().values_list("owner_id", "lead_id"))
    earlier = set(
        await orders.filter(
            order_date__lt=period.first, lead_id__in=Subquery(bought.values("lead_id"))
        )
        .distinct()
        .values_list("lead_id", flat=True)
    )
    for owner, lead_id in buyers:
        out[int(owner)]["returning_buyers" if lead_id in earlier else "new_buyers"] += 1
    return out


async def _views(names: dict[int, str], login: str, actor: Actor, period: Period) -> None:
    live = (
        ops_scoped(Order, actor)
        .filter(order_date__gte=period.first, order_date__lte=period.last)
        .exclude(status="cancelled")
    )
    chart = await chart_data(actor, "orders_by_employee", period)
    got_chart = {
        name: (amount, n)
        for name, amount, n in zip(
            chart.categories, chart.series[0].values, chart.counts, strict=True
        )
    }
    want_chart = {
        names[int(o)]: (int(s or 0), int(n))
        for o, n, s in await live.annotate(n=Count("id"), s=Sum("total"))
        .group_by("owner_id")
        .values_list("owner_id", "n", "s")
    }
    assert got_chart == want_chart, (login, period.code, "orders chart")
    view = await overview(actor, period)
    assert view.orders == await live.count(), (login, period.code)
    totals = await live.annotate(s=Sum("total")).values_list("s", flat=True)
    assert view.sales == int(totals[0] or 0), (login, period.code)


async def _compare(personas: dict[str, Actor]) -> None:
    await compare(personas, FIRST.year, _raw_kpi_orders, _views)


async def _tables() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    return (
        await rows(
            "SELECT day, owner_id, team_id, branch_id, region_id, site_branch_id, n, total"
            " FROM order_day"
        ),
        await rows(
            "SELECT month, lead_id, owner_id, team_id, branch_id, region_id, site_branch_id, days"
            " FROM lead_buy"
        ),
    )


def _day(rng: random.Random) -> date:
    """A day in Jan–Mar 2018, often a month's first or last day (the period edges)."""
    if rng.random() < 0.3:
        return rng.choice([date(2018, 1, 1), date(2018, 1, 31), date(2018, 2, 1),
                           date(2018, 2, 28), date(2018, 3, 1), date(2018, 3, 31)])  # fmt: skip
    return FIRST + timedelta(days=rng.randrange((LAST - FIRST).days + 1))


@pytest.mark.parametrize("seed", [1, 2])
async def test_order_rollups_match_the_raw_order_queries(
    personas: dict[str, Actor], seed: int
) -> None:
    rng = random.Random(seed)
    people = list(await User.filter(login__in=STAFF))
    sites = [None, *await Branch.all().values_list("id", flat=True)]
    leads: list[Lead] = []
    for i in range(16):
        name = f"Đơn Cuộn {seed}-{i}"
        leads.append(await Lead.create(name=name, name_key=fold(name), phone=new_phone(),
                                       stage="booked", **own(rng.choice(people))))  # fmt: skip
    orders: list[Order] = []
    try:
        for _ in range(150):
            lead = rng.choice(leads) if rng.random() < 0.85 else None
            who = rng.choice(people)
            number = f"HDR{seed}-{next(_numbers):05d}"
            orders.append(await Order.create(
                number=number, code=number.replace("-", ""), order_date=_day(rng),
                site_branch_id=rng.choice(sites) if rng.random() < 0.3 else who.branch_id,
                lead_id=lead.id if lead else None, customer_name="Khách Cuộn",
                status=rng.choice(["confirmed", "paid", "partly_paid", "cancelled"]),
                total=rng.choice([350_000, 1_500_000, 2_500_000]), created_by_id=who.id,
                **own(who)))  # fmt: skip
        await _compare(personas)

        # Edits through the ORM: cancelled / restored, moved in time, re-priced, another
        # customer, another seller (all four scope columns), another site.
        for order in rng.sample(orders, 70):
            change = rng.randrange(6)
            if change == 0:
                order.status = "confirmed" if order.status == "cancelled" else "cancelled"
            elif change == 1:
                order.order_date = _day(rng)
            elif change == 2:
                order.total = rng.choice([0, 520_000, 9_000_000])
            elif change == 3:
                order.lead_id = rng.choice(leads).id if rng.random() < 0.8 else None
            elif change == 4:
                for key, val in own(rng.choice(people)).items():
                    setattr(order, key, val)
            else:
                order.site_branch_id = rng.choice(sites)
            await order.save()
        # Bulk updates (one UPDATE for many rows): reassigned, and moved to one day.
        await Order.filter(id__in=[o.id for o in rng.sample(orders, 25)]).update(
            **own(rng.choice(people))
        )
        await Order.filter(id__in=[o.id for o in rng.sample(orders, 20)]).update(
            order_date=_day(rng), status="paid"
        )
        await _compare(personas)

        # Deletes: single rows and a bulk delete.
        gone = rng.sample(orders, 40)
        for order in gone[:20]:
            await Order.filter(id=order.id).delete()
        await Order.filter(id__in=[o.id for o in gone[20:]]).delete()
        await _compare(personas)

        kept = await _tables()
        await rebuild()
        assert await _tables() == kept  # what the triggers kept == a recount from scratch
    finally:
        await Order.filter(id__in=[o.id for o in orders]).delete()
        await Lead.filter(id__in=[lead.id for lead in leads]).delete()
    days, buys = await _tables()
    assert not [d for d in days if d[0] // 10_000 == FIRST.year]
    assert not [b for b in buys if b[0] // 100 == FIRST.year]
