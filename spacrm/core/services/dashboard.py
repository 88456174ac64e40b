"""The dashboard (#1) for the acting user's scope. Later features add their own figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from tortoise.functions import Count, Sum

from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.models import Account, Activity, Complaint, Contact, Course, Lead, Order, Voucher
from spacrm.core.permissions import ops_scoped, scoped


@dataclass(frozen=True, slots=True)
class Dashboard:
    calls_week: int
    meetings_week: int
    leads_month: int
    customers: int
    planned: int
    open_complaints: int
    by_stage: dict[str, int] = field(default_factory=dict)
    # sales (#9, #35, #37)
    orders_week: int = 0
    sales_week: int = 0  # VND, orders not cancelled
    receipts_week: int = 0  # thu, VND
    payments_week: int = 0  # chi, VND
    active_courses: int = 0


async def dashboard(actor: Actor) -> Dashboard:
    today = clock.today()
    week_start, week_end = clock.week_bounds(today)
    month_start, month_end = clock.month_bounds(today)
    done_week = scoped(Activity, actor).filter(
        status="done", done_at__gte=week_start, done_at__lt=week_end
    )
    rows = (
        await scoped(Lead, actor)
        .annotate(n=Count("id"))
        .group_by("stage")
        .values_list("stage", "n")
    )
    by_stage = {str(stage): int(n) for stage, n in rows}
    return Dashboard(
        calls_week=await done_week.filter(kind="call").count(),
        meetings_week=await done_week.filter(kind="meeting").count(),
        leads_month=await scoped(Lead, actor)
        .filter(created_at__gte=month_start, created_at__lt=month_end)
        .count(),
        customers=await scoped(Contact, actor).count() + await scoped(Account, actor).count(),
        planned=await scoped(Activity, actor)
        .filter(status="planned", due_at__gte=clock.now())
        .count(),
        open_complaints=await scoped(Complaint, actor)
        .filter(status__in=["new", "in_progress"])
        .count(),
        by_stage=by_stage,
        **await _sales(actor, week_start.date(), (week_end - timedelta(days=1)).date()),
    )


async def _sales(actor: Actor, first: date, last: date) -> dict[str, int]:
    """This week's orders and money in/out, and the courses still running (operations scope)."""
    orders = ops_scoped(Order, actor).filter(order_date__gte=first, order_date__lte=last)
    orders = orders.exclude(status="cancelled")
    vouchers = ops_scoped(Voucher, actor).filter(
        voucher_date__gte=first, voucher_date__lte=last, status="done"
    )
    money = dict(await vouchers.annotate(s=Sum("amount")).group_by("kind").values_list("kind", "s"))
    sold: list[Any] = list(await orders.annotate(s=Sum("total")).values_list("s", flat=True))
    return {
        "orders_week": await orders.count(),
        "sales_week": int(sold[0] or 0) if sold else 0,
        "receipts_week": int(money.get("receipt") or 0),
        "payments_week": int(money.get("payment") or 0),
        "active_courses": await ops_scoped(Course, actor, technician_field="technician_id")
        .filter(status="active")
        .count(),
    }
