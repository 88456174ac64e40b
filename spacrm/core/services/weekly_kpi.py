"""The weekly KPI report (#10 scheduled reports): on Monday at `weekly_kpi_at` (local time) every
active user of `weekly_kpi_roles` linked on a staff chat gets last week's KPI for their scope.
Claimed like the morning summary: a unique (kind, user, Monday) row written with the queued
message in one transaction (`scheduled_sends.claim_and_queue`), so it goes out once a week, across
restarts and with two schedulers, and a crash between the two leaves neither."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from spacrm.core import clock
from spacrm.core.models import User
from spacrm.core.services import scheduled_sends
from spacrm.core.services.channels import staff_route
from spacrm.core.settings import get_settings

KIND = "weekly_kpi"


@dataclass(frozen=True, slots=True)
class WeeklyKpi:
    user_id: int
    channel: str
    chat_id: str
    day: date  # this Monday: the claim's day
    week: str  # last week, "2026-W48"


def _due() -> bool:
    now = clock.now()
    monday = clock.local(now).weekday() == 0
    return monday and scheduled_sends.time_reached(get_settings().weekly_kpi_at, now)


async def pending_weekly_kpis() -> list[WeeklyKpi]:
    """This week's reports due and not sent yet (not claimed here: the bot claims
    each with its message, `scheduled_sends.claim_and_queue`)."""
    if not _due():
        return []
    monday: date = clock.today()
    year, week, _ = (monday - timedelta(days=7)).isocalendar()
    roles = [r.strip() for r in get_settings().weekly_kpi_roles.split(",") if r.strip()]
    sent = await scheduled_sends.claimed_users(KIND, monday)
    out = []
    users = User.filter(active=True, role__in=roles).order_by("id")
    ids: list[Any] = list(await users.values_list("id", flat=True))
    for user_id in ids:
        if user_id in sent:
            continue
        route = await staff_route(int(user_id))
        if route is None:
            continue
        out.append(WeeklyKpi(int(user_id), route[0], route[1], monday, f"{year}-W{week:02d}"))
    return out
