"""The dashboard (#1) over any period, for the acting user's scope: activity, leads, customers,
orders, money in / out, courses, today's appointments, open complaints, leads by stage."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.functions import Count, Sum

from spacrm.core.actors import Actor
from spacrm.core.models import (
    Account,
    ActivityDay,
    Complaint,
    Contact,
    Course,
    Lead,
    OrderDay,
    Voucher,
)
from spacrm.core.permissions import ops_scoped, scoped
from spacrm.core.services.bookings import today_counts
from spacrm.core.services.reports import Period
from spacrm.core.services.rollup import day_number


@dataclass(frozen=True, slots=True)
class Overview:
    """The dashboard (#1) over one period."""

    period: Period
    calls: int
    meetings: int
    leads_created: int
    customers: int
    orders: int
    sales: int  # VND, orders not cancelled
    receipts: int  # thu
    payments: int  # chi
    active_courses: int
    appointments_today: dict[str, int]  # by status (bookings)
    open_complaints: int
    by_stage: dict[str, int]


async def overview(actor: Actor, period: Period) -> Overview:
    start, end = period.start, period.end
    # Calls and meetings from the day roll-up (exact, core/services/rollup.py).
    done = dict(
        await scoped(ActivityDay, actor)
        .filter(kind__in=["call", "meeting"], day__gte=day_number(period.first))
        .filter(day__lte=day_number(period.last))
        .annotate(n=Sum("n"))
        .group_by("kind")
        .values_list("kind", "n")
    )
    by_stage = {
        str(s): int(n)
        for s, n in await scoped(Lead, actor)
        .annotate(n=Count("id"))
        .group_by("stage")
        .values_list("stage", "n")
    }
    # Orders not cancelled from their day roll-up (exact, core/services/rollup.py).
    sold = (
        await ops_scoped(OrderDay, actor)
        .filter(day__gte=day_number(period.first), day__lte=day_number(period.last))
        .annotate(n=Sum("n"), s=Sum("total"))
        .values_list("n", "s")
    )
    money = dict(
        await ops_scoped(Voucher, actor)
        .filter(voucher_date__gte=period.first, voucher_date__lte=period.last, status="done")
        .annotate(s=Sum("amount"))
        .group_by("kind")
        .values_list("kind", "s")
    )
    return Overview(
        period=period,
        calls=int(done.get("call") or 0),
        meetings=int(done.get("meeting") or 0),
        leads_created=await scoped(Lead, actor)
        .filter(created_at__gte=start, created_at__lt=end)
        .count(),
        customers=await scoped(Contact, actor).count() + await scoped(Account, actor).count(),
        orders=int(sold[0][0] or 0) if sold else 0,
        sales=int(sold[0][1] or 0) if sold else 0,
        receipts=int(money.get("receipt") or 0),
        payments=int(money.get("payment") or 0),
        active_courses=await ops_scoped(Course, actor, technician_field="technician_id")
        .filter(status="active")
        .count(),
        appointments_today=await today_counts(actor),
        open_complaints=await scoped(Complaint, actor)
        .filter(status__in=["new", "in_progress"])
        .count(),
        by_stage=by_stage,
    )
