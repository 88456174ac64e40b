"""The dashboard (#1) for the acting user's scope. Later features add their own figures."""

from __future__ import annotations

from dataclasses import dataclass, field

from tortoise.functions import Count

from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.models import Account, Activity, Complaint, Contact, Lead
from spacrm.core.permissions import scoped


@dataclass(frozen=True, slots=True)
class Dashboard:
    calls_week: int
    meetings_week: int
    leads_month: int
    customers: int
    planned: int
    open_complaints: int
    by_stage: dict[str, int] = field(default_factory=dict)


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
    )
