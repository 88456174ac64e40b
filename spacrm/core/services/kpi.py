"""KPI settings (#23) and the KPI report (#24): targets against what each employee did.

Actuals come from the same scoped records as the charts: done activities (calls, meetings,
emails, quote emails), leads created, leads contacted (a done activity), leads converted, revenue
(orders not cancelled, by seller), new and returning buying customers, and commission (the
technician's session commissions plus the KPI's % of the seller's revenue).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.functions import Count, Sum
from tortoise.transactions import in_transaction

from spacrm.core.actors import Actor, Role
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import (
    ActivityDay,
    Commission,
    KpiSetting,
    Lead,
    LeadBuy,
    LeadTouch,
    OrderDay,
    Team,
    User,
)
from spacrm.core.models.kpi import TARGETS
from spacrm.core.permissions import ops_scoped, scoped
from spacrm.core.services.reports import Period
from spacrm.core.services.rollup import before, day_number, month_masks, touched_in
from spacrm.core.textnorm import fold

KINDS = {"call": "calls", "meeting": "meetings", "email": "emails", "quote_email": "quote_emails"}


def users_in_scope(actor: Actor) -> Q:
    """The employees whose figures `actor` may read (the five levels, applied to users)."""
    if actor.sees_all:
        return Q()
    if actor.role == Role.REGION:
        return Q(region_id=actor.region_id if actor.region_id is not None else -1)
    if actor.role == Role.BRANCH_DIRECTOR:
        return Q(branch_id__in=list(actor.branch_ids) or [-1])
    if actor.role == Role.TEAM_LEAD:
        return Q(team_id=actor.team_id if actor.team_id is not None else -1)
    return Q(id=actor.user_id)


async def add_kpi(
    actor: Actor,
    *,
    name: str,
    start: date,
    end: date,
    targets: dict[str, int],
    employee: str | None = None,
    team: str | None = None,
    description: str | None = None,
    commission_pct: int = 0,
    active: bool = True,
) -> KpiSetting:
    """A KPI setting for one employee (login) or one team (code) the actor manages."""
    columns = await _checked(
        actor, name=name, start=start, end=end, targets=targets, employee=employee, team=team,
        commission_pct=commission_pct,
    )  # fmt: skip
    async with in_transaction():
        return await KpiSetting.create(
            name=name.strip(), active=active, start_date=start, end_date=end,
            description=description, commission_pct=commission_pct, created_by_id=actor.user_id,
            **columns,
        )  # fmt: skip


async def _checked(
    actor: Actor, *, name: str, start: date, end: date, targets: dict[str, int],
    employee: str | None, team: str | None, commission_pct: int,
) -> dict[str, Any]:  # fmt: skip
    """The columns of a valid setting (whom it applies to, and the targets), else why not."""
    if not actor.is_manager:
        raise DomainError(ErrorCode.FORBIDDEN)
    if not name.strip():
        raise DomainError(ErrorCode.NAME_REQUIRED)
    if end < start:
        raise DomainError(ErrorCode.KPI_DATES, start=start.isoformat(), end=end.isoformat())
    unknown = set(targets) - set(TARGETS)
    if unknown:
        raise DomainError(ErrorCode.INVALID_VALUE, value=", ".join(sorted(unknown)))
    for key, value in {**targets, "commission_pct": commission_pct}.items():
        if value < 0:
            raise DomainError(ErrorCode.KPI_NEGATIVE, field=key, value=value)
    if commission_pct > 100:
        raise DomainError(ErrorCode.INVALID_VALUE, value=f"{commission_pct}%")
    if (employee is None) == (team is None):
        raise DomainError(ErrorCode.INVALID_VALUE, value="employee/team")
    where: dict[str, Any]
    if employee is not None:
        user = await User.filter(users_in_scope(actor), login=employee.strip().lower()).first()
        if user is None:
            raise DomainError(ErrorCode.EMPLOYEE_NOT_FOUND, employee=employee)
        where = {"user_id": user.id, "team_id": None, "branch_id": user.branch_id,
                 "region_id": user.region_id}  # fmt: skip
    else:
        found = await Team.get_or_none(code=str(team).strip().lower()).prefetch_related("branch")
        if found is None or not await User.filter(users_in_scope(actor), team_id=found.id).exists():
            raise DomainError(ErrorCode.EMPLOYEE_NOT_FOUND, employee=str(team))
        where = {
            "user_id": None,
            "team_id": found.id,
            "branch_id": found.branch.id,
            "region_id": found.branch.region_id,
        }
    return {**where, **targets}


def _settings_in_scope(actor: Actor) -> Q:
    if actor.sees_all:
        return Q()
    if actor.role == Role.REGION:
        return Q(region_id=actor.region_id if actor.region_id is not None else -1)
    if actor.role == Role.BRANCH_DIRECTOR:
        return Q(branch_id__in=list(actor.branch_ids) or [-1])
    return Q(user_id=actor.user_id) | Q(team_id=actor.team_id if actor.team_id is not None else -1)


async def list_kpis(actor: Actor, *, active_only: bool = False) -> list[KpiSetting]:
    query = KpiSetting.filter(_settings_in_scope(actor))
    if actor.role == Role.TEAM_LEAD:  # the team's setting and each member's own
        members = await User.filter(team_id=actor.team_id).values_list("id", flat=True)
        query = KpiSetting.filter(Q(team_id=actor.team_id) | Q(user_id__in=list(members) or [-1]))
    if active_only:
        query = query.filter(active=True)
    return list(await query.order_by("-start_date", "id"))


@dataclass(slots=True)
class KpiLine:
    """One employee's KPI for a period: `actual[k]` against `target[k]` for every TARGETS key."""

    user_id: int
    name: str
    kpi_name: str | None
    actual: dict[str, int] = field(default_factory=dict)
    target: dict[str, int] = field(default_factory=dict)
    commission: int = 0
    commission_pct: int = 0

    def pct(self, key: str) -> int | None:
        target = self.target.get(key, 0)
        return None if not target else round(100 * self.actual.get(key, 0) / target)

    @property
    def conversion_pct(self) -> int | None:
        leads = self.actual.get("new_leads", 0)
        return None if not leads else round(100 * self.actual.get("leads_converted", 0) / leads)


async def employees_named(actor: Actor, name: str) -> list[User]:
    """The active employees in the actor's scope whose name is, or ends with, `name` ("Hoa" →
    every "… Hoa"); "me" is the actor. Nobody in scope → EMPLOYEE_NOT_FOUND: someone outside
    the scope reads as not found, never as "not yours"."""
    users = User.filter(users_in_scope(actor), active=True)
    if name in ("me", "tôi", "toi"):
        return list(await users.filter(id=actor.user_id))
    key = fold(name)
    found = [u for u in await users if key == u.name_key or f" {key}" in f" {u.name_key}"]
    if not key or not found:
        raise DomainError(ErrorCode.EMPLOYEE_NOT_FOUND, employee=name)
    return found


async def kpi_report(actor: Actor, *, period: Period, employee: str | None = None) -> list[KpiLine]:
    """One line per employee in scope (or the one named, "me" for the actor)."""
    users = User.filter(users_in_scope(actor), active=True)
    if employee:
        users = User.filter(id__in=[u.id for u in await employees_named(actor, employee)])
    elif not actor.is_manager:
        users = users.filter(id=actor.user_id)
    else:
        users = users.filter(role__in=[Role.STAFF, Role.TEAM_LEAD])
    people = list(await users.order_by("full_name"))
    ids = [u.id for u in people]
    lines = {u.id: KpiLine(u.id, u.full_name, None) for u in people}
    for line in lines.values():
        line.actual = dict.fromkeys(TARGETS, 0)
        line.target = dict.fromkeys(TARGETS, 0)
    await _actuals(actor, period, ids, lines)
    await _targets(period, people, lines)
    for line in lines.values():
        line.commission += line.actual["revenue"] * line.commission_pct // 100
    return list(lines.values())


async def _actuals(actor: Actor, period: Period, ids: list[int], lines: dict[int, KpiLine]) -> None:
    start, end = period.start, period.end
    # Activities from the roll-ups (kept exact by triggers, core/services/rollup.py): a branch's
    # month is a few thousand day rows and one touch row per lead, not every activity.
    days = scoped(ActivityDay, actor).filter(
        owner_id__in=ids, day__gte=day_number(period.first), day__lte=day_number(period.last)
    )
    for owner, kind, n in (
        await days.annotate(n=Sum("n"))
        .group_by("owner_id", "kind")
        .values_list("owner_id", "kind", "n")
    ):
        if kind in KINDS:
            lines[int(owner)].actual[KINDS[kind]] += int(n or 0)
    contacted = (
        scoped(LeadTouch, actor)
        .filter(owner_id__in=ids, month__in=list(month_masks(period.first, period.last)))
        .annotate(hit=touched_in(period.first, period.last))
        .filter(hit__gt=0)
        .annotate(n=Count("lead_id", distinct=True))
        .group_by("owner_id")
        .values_list("owner_id", "n")
    )
    for owner, n in await contacted:
        lines[int(owner)].actual["leads_contacted"] = int(n)
    leads = scoped(Lead, actor).filter(owner_id__in=ids)
    for col, key in (("created_at", "new_leads"), ("converted_at", "leads_converted")):
        rows = (
            await leads.filter(**{f"{col}__gte": start, f"{col}__lt": end})
            .annotate(n=Count("id"))
            .group_by("owner_id")
            .values_list("owner_id", "n")
        )
        for owner, n in rows:
            lines[int(owner)].actual[key] = int(n)
    # Orders from their roll-ups (kept exact by triggers, core/services/rollup.py): revenue is a
    # few rows per employee and day; buyers one row per customer and month, and "bought before
    # the period" one index seek per buyer instead of every earlier order of the branch.
    sold = ops_scoped(OrderDay, actor).filter(
        owner_id__in=ids, day__gte=day_number(period.first), day__lte=day_number(period.last)
    )
    for owner, total in (
        await sold.annotate(s=Sum("total")).group_by("owner_id").values_list("owner_id", "s")
    ):
        lines[int(owner)].actual["revenue"] = int(total or 0)
    buys = ops_scoped(LeadBuy, actor).filter(owner_id__in=ids)
    bought = (
        buys.filter(month__in=list(month_masks(period.first, period.last)))
        .annotate(hit=touched_in(period.first, period.last))
        .filter(hit__gt=0)
    )
    buyers = set(await bought.distinct().values_list("owner_id", "lead_id"))
    # Customers who had bought before the period: a semi-join, not a list of every buyer's id
    # sent back to the database (thousands of parameters for a branch).
    earlier = set(
        await buys.filter(lead_id__in=Subquery(bought.values("lead_id")))
        .annotate(early=before(period.first))
        .filter(early__gt=0)
        .distinct()
        .values_list("lead_id", flat=True)
    )
    for owner, lead_id in buyers:
        lines[int(owner)].actual["returning_buyers" if lead_id in earlier else "new_buyers"] += 1
    earned = (
        await Commission.filter(
            technician_id__in=ids, earned_on__gte=period.first, earned_on__lte=period.last
        )
        .annotate(s=Sum("amount"))
        .group_by("technician_id")
        .values_list("technician_id", "s")
    )
    for tech, amount in earned:
        lines[int(tech)].commission += int(amount or 0)


async def _targets(period: Period, people: list[User], lines: dict[int, KpiLine]) -> None:
    """The active setting overlapping the period, the employee's own before their team's."""
    settings = await KpiSetting.filter(
        Q(user_id__in=[u.id for u in people] or [-1]) | Q(team_id__in=list({u.team_id for u in people if u.team_id}) or [-1]),
        active=True, start_date__lte=period.last, end_date__gte=period.first,
    ).order_by("-start_date", "-id")  # fmt: skip
    for user in people:
        own = [s for s in settings if s.user_id == user.id]
        team = [s for s in settings if s.team_id is not None and s.team_id == user.team_id]
        if not own and not team:
            continue
        chosen = (own or team)[0]
        line = lines[user.id]
        line.kpi_name = chosen.name
        line.target = {k: int(getattr(chosen, k)) for k in TARGETS}
        line.commission_pct = chosen.commission_pct


# -- editing a setting from the console (#11) ------------------------------------------------------


async def _own_setting(actor: Actor, kpi_id: int) -> KpiSetting:
    """A setting the actor's list shows (else not found), locked for the change."""
    if not actor.is_manager:
        raise DomainError(ErrorCode.FORBIDDEN)
    ids = [k.id for k in await list_kpis(actor) if k.id == kpi_id]
    setting = await KpiSetting.select_for_update().get_or_none(id__in=ids or [-1])
    if setting is None:
        raise DomainError(ErrorCode.NOT_FOUND)
    return setting


async def update_kpi(
    actor: Actor, *, kpi_id: int, name: str, start: date, end: date, targets: dict[str, int],
    employee: str | None = None, team: str | None = None, description: str | None = None,
    commission_pct: int = 0, active: bool = True,
) -> KpiSetting:  # fmt: skip
    """Change every field of a setting (targets left out become 0), with add_kpi's checks."""
    columns = await _checked(
        actor, name=name, start=start, end=end, targets=targets, employee=employee, team=team,
        commission_pct=commission_pct,
    )  # fmt: skip
    async with in_transaction():
        setting = await _own_setting(actor, kpi_id)
        values = {key: 0 for key in TARGETS} | columns
        values |= {"name": name.strip(), "active": active, "start_date": start, "end_date": end,
                   "description": description, "commission_pct": commission_pct}  # fmt: skip
        setting.update_from_dict(values)
        await setting.save(update_fields=list(values))
        return setting


async def set_kpi_active(actor: Actor, *, kpi_id: int, active: bool) -> KpiSetting:
    """Deactivate a setting (kept for past reports) or activate it again."""
    async with in_transaction():
        setting = await _own_setting(actor, kpi_id)
        setting.active = active
        await setting.save(update_fields=["active"])
        return setting
