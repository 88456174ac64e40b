"""Customers who have not come back: "khách nào lâu rồi chưa quay lại". A spa wins back a
customer best soon after she drifts away, so the list is the customers the asker may see whose
last visit (a finished appointment, or an order not cancelled) is at least `days` old, with no
appointment ahead, the most recently lapsed first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from tortoise.expressions import Subquery
from tortoise.functions import Max
from tortoise.queryset import QuerySet

from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.models import Appointment, Lead, Order
from spacrm.core.permissions import scoped

DEFAULT_DAYS = 60
MAX_DAYS = 3 * 365


@dataclass(frozen=True, slots=True)
class Lapsed:
    lead: Lead
    last_visit: date


async def lapsed_customers(
    actor: Actor, *, days: int = DEFAULT_DAYS, limit: int = 10
) -> tuple[list[Lapsed], int]:
    """The `limit` most recently lapsed and how many there are. Ids are never sent back to the
    database as a list (a chain has tens of thousands of customers: SQLite caps the parameters
    of one statement): the scope and the bookings ahead are subqueries."""
    days = max(1, min(int(days), MAX_DAYS))
    cutoff = clock.today() - timedelta(days=days)
    leads = scoped(Lead, actor).exclude(stage="dead")
    last: dict[int, date] = {}
    for lead_id, at in await _last_of(Appointment.filter(status="done"), leads, "starts_at"):
        last[lead_id] = clock.local(at).date()
    orders = Order.exclude(status__in=("draft", "cancelled"))
    for lead_id, on in await _last_of(orders, leads, "order_date"):
        last[lead_id] = max(last.get(lead_id, on), on)
    # A customer with a booking ahead is coming back already.
    ahead = Appointment.filter(
        lead_id__in=Subquery(leads.values("id")),
        status__in=("booked", "confirmed"),
        starts_at__gte=clock.now(),
    )
    coming = {int(row[0]) for row in await ahead.values_list("lead_id") if row[0] is not None}
    due = sorted(((v, k) for k, v in last.items() if v <= cutoff and k not in coming), reverse=True)
    shown = due[:limit]
    found = {lead.id: lead for lead in await Lead.filter(id__in=[k for _, k in shown])}
    return [Lapsed(found[k], v) for v, k in shown if k in found], len(due)


async def _last_of(
    rows: QuerySet[Appointment] | QuerySet[Order], leads: QuerySet[Lead], column: str
) -> list[tuple[int, Any]]:
    """(lead id, latest `column`) of `rows` for the leads of `leads`, one query."""
    found = await (
        rows.filter(lead_id__in=Subquery(leads.values("id")))
        .annotate(last=Max(column))
        .group_by("lead_id")
        .values_list("lead_id", "last")
    )
    return [(int(lead_id), value) for lead_id, value in found if lead_id is not None]
