"""The weekly KPI report (#10 scheduled reports): on Monday at `weekly_kpi_at` (local time) every
active user of `weekly_kpi_roles` linked on a staff chat gets last week's KPI for their scope.
Claimed like the morning summary: a unique (kind, user, Monday) row before anything is queued, so
it goes out once a week, across restarts and with two schedulers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError

from spacrm.core import clock
from spacrm.core.models import ReportSend, User
from spacrm.core.services.channels import staff_route
from spacrm.core.settings import get_settings

KIND = "weekly_kpi"


@dataclass(frozen=True, slots=True)
class WeeklyKpi:
    user_id: int
    channel: str
    chat_id: str
    week: str  # last week, "2026-W48"


def _due() -> bool:
    at = get_settings().weekly_kpi_at
    now = clock.local(clock.now())
    if not at or now.weekday() != 0:
        return False
    hour, minute = (int(x) for x in at.split(":"))
    return now.time() >= time(hour, minute)


async def claim_weekly_kpis() -> list[WeeklyKpi]:
    if not _due():
        return []
    monday: date = clock.today()
    year, week, _ = (monday - timedelta(days=7)).isocalendar()
    roles = [r.strip() for r in get_settings().weekly_kpi_roles.split(",") if r.strip()]
    sent = set(await ReportSend.filter(kind=KIND, day=monday).values_list("user_id", flat=True))
    out = []
    users = User.filter(active=True, role__in=roles).order_by("id")
    ids: list[Any] = list(await users.values_list("id", flat=True))
    for user_id in ids:
        if user_id in sent:
            continue
        route = await staff_route(int(user_id))
        if route is None:
            continue
        try:
            await ReportSend.create(kind=KIND, user_id=user_id, day=monday)
        except IntegrityError:
            continue  # another scheduler claimed it first
        out.append(WeeklyKpi(int(user_id), route[0], route[1], f"{year}-W{week:02d}"))
    return out
