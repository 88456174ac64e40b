"""Report figures (#1, #18, #24) for the acting user's scope, as plain dataclasses.

Every query starts from core.permissions (`scoped` for sales records, `ops_scoped` for orders,
vouchers, courses and appointments), so a chart never counts a record its reader could not open.
reports/ renders these; it never sees a queryset.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from tortoise import connections
from tortoise.expressions import RawSQL, Subquery
from tortoise.functions import Count, Sum

from spacrm.core import clock
from spacrm.core.actors import Actor, Role
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import (
    ActivityDay,
    Branch,
    Lead,
    LeadTouch,
    Order,
    OrderDay,
    OrderLine,
    Region,
    Team,
    User,
    Voucher,
)
from spacrm.core.permissions import ops_scoped, scoped
from spacrm.core.services.rollup import day_number, month_masks, touched_in

REPORTS = (
    "leads_by_source",
    "leads_cared",
    "sales_by_employee",
    "calls_by_employee",
    "customers_cared",
    "income_expense",
    "orders_by_employee",
    "conversions_by_month",
    "sales_by_item",
)
_PERIOD = re.compile(r"^(\d{4})-(?:(\d{2})-(\d{2})|W(\d{2})|(\d{2}))$")


@dataclass(frozen=True, slots=True)
class Period:
    """A day, an ISO week or a month (DESIGN §6 `period`), both ends included."""

    kind: str  # day week month year
    first: date
    last: date
    code: str

    @property
    def start(self) -> datetime:
        # Local midnight: the day-keyed roll-ups (core/services/rollup.py) and the raw queries
        # must count the same days (at_local alone means 9:00).
        return clock.at_local(self.first, time(0, 0))

    @property
    def end(self) -> datetime:
        return clock.at_local(self.last + timedelta(days=1), time(0, 0))


def parse_period(code: str | None, *, default: str = "month") -> Period:
    """`2026-11`, `2026-W48`, `2026-11-25`, or None for this month (or week/day/year)."""
    today = clock.today()
    if not code:
        code = {
            "day": today.isoformat(),
            "week": f"{today.isocalendar()[0]}-W{today.isocalendar()[1]:02d}",
            "year": str(today.year),
        }.get(default, today.strftime("%Y-%m"))
    if re.fullmatch(r"\d{4}", code):
        year = int(code)
        return Period("year", date(year, 1, 1), date(year, 12, 31), code)
    m = _PERIOD.match(code)
    try:
        if m is None:
            raise ValueError(code)
        year = int(m[1])
        if m[3]:
            day = date(year, int(m[2]), int(m[3]))
            return Period("day", day, day, code)
        if m[4]:
            monday = date.fromisocalendar(year, int(m[4]), 1)
            return Period("week", monday, monday + timedelta(days=6), code)
        first = date(year, int(m[5]), 1)
    except ValueError:
        raise DomainError(ErrorCode.BAD_PERIOD, value=code) from None
    nxt = date(year + (first.month == 12), first.month % 12 + 1, 1)
    return Period("month", first, nxt - timedelta(days=1), code)


def check_period(period: Period) -> None:
    """A period that starts after today has no figures yet: say so instead of drawing zeros."""
    if period.first > clock.today():
        raise DomainError(ErrorCode.FUTURE_PERIOD, value=period.code)


@dataclass(frozen=True, slots=True)
class Scope:
    kind: str  # all region branch team own
    name: str


async def scope_of(actor: Actor) -> Scope:
    """What the actor's figures cover, for chart titles ("Chi nhánh Quận 1")."""
    if actor.sees_all:
        return Scope("all", "")
    if actor.role == Role.REGION and actor.region_id is not None:
        region = await Region.get_or_none(id=actor.region_id)
        return Scope("region", region.name if region else "")
    if actor.role == Role.BRANCH_DIRECTOR and actor.branch_ids:
        names = await Branch.filter(id__in=list(actor.branch_ids)).values_list("name", flat=True)
        return Scope("branch", ", ".join(str(n) for n in names))
    if actor.role == Role.TEAM_LEAD and actor.team_id is not None:
        team = await Team.get_or_none(id=actor.team_id)
        return Scope("team", team.name if team else "")
    return Scope("own", actor.name)


@dataclass(frozen=True, slots=True)
class Series:
    key: str  # a stage, a voucher kind, "count", "amount"…; the renderer translates it
    values: list[int]


@dataclass(frozen=True, slots=True)
class ChartData:
    report: str
    period: Period
    categories: list[str]  # names as stored (employee names, sources, days, months)
    series: list[Series]
    money: bool = False
    counts: list[int] = field(default_factory=list)  # shown on bars when the bars are money

    @property
    def empty(self) -> bool:
        return not any(v for s in self.series for v in s.values)


async def _names(user_ids: list[int]) -> dict[int, str]:
    rows = await User.filter(id__in=user_ids).values_list("id", "full_name")
    return {int(i): str(n) for i, n in rows}


def _per_owner(
    report: str,
    period: Period,
    rows: list[tuple[Any, Any, Any]],
    keys: list[str],
    names: dict[int, str],
) -> ChartData:
    """(owner_id, key, n) rows → one category per employee (busiest first), one series per key."""
    table: dict[int, dict[str, int]] = defaultdict(dict)
    for owner, key, n in rows:
        table[int(owner)][str(key)] = table[int(owner)].get(str(key), 0) + int(n or 0)
    owners = sorted(table, key=lambda o: (-sum(table[o].values()), names.get(o, "")))
    present = [k for k in keys if any(table[o].get(k) for o in owners)] or keys[:1]
    return ChartData(
        report,
        period,
        [names.get(o, f"#{o}") for o in owners],
        [Series(k, [table[o].get(k, 0) for o in owners]) for k in present],
    )


async def chart_data(actor: Actor, report: str, period: Period) -> ChartData:
    if report not in REPORTS:
        raise DomainError(ErrorCode.UNKNOWN_REPORT, value=report)
    start, end = period.start, period.end
    leads = scoped(Lead, actor)
    if report == "leads_by_source":
        rows = await (
            leads.filter(created_at__gte=start, created_at__lt=end)
            .annotate(n=Count("id"))
            .group_by("source")
            .values_list("source", "n")
        )
        pairs = sorted(((str(s or ""), int(n)) for s, n in rows), key=lambda p: -p[1])
        return ChartData(
            report, period, [s for s, _ in pairs], [Series("count", [n for _, n in pairs])]
        )
    if report in ("leads_cared", "customers_cared", "calls_by_employee"):
        # From the roll-ups (kept exact by triggers, core/services/rollup.py), scoped by the
        # activities' own ownership columns as `scoped(Activity, …)` would be.
        if report == "calls_by_employee":
            rows = await (
                scoped(ActivityDay, actor)
                .filter(kind="call", day__gte=day_number(period.first))
                .filter(day__lte=day_number(period.last))
                .annotate(n=Sum("n"))
                .group_by("owner_id")
                .values_list("owner_id", "n")
            )
            triples = [(o, "count", n) for o, n in rows if n]
            return _per_owner(
                report, period, triples, ["count"], await _names([o for o, _, _ in triples])
            )
        wanted = ["booked", "in_service"] if report == "customers_cared" else list(_STAGES)
        # The leads (in scope) with a done activity in the period: a semi-join on the months'
        # touch rows (one per lead, month and owner), so a lead cared for twice counts once.
        cared = (
            scoped(LeadTouch, actor)
            .filter(month__in=list(month_masks(period.first, period.last)))
            .annotate(hit=touched_in(period.first, period.last))
            .filter(hit__gt=0)
            .values("lead_id")
        )
        if report == "customers_cared":  # leads_cared takes every stage: no filter to plan on
            leads = leads.filter(stage__in=wanted)
        rows = await (
            leads.filter(id__in=Subquery(cared))
            .annotate(n=Count("id"))
            .group_by("owner_id", "stage")
            .values_list("owner_id", "stage", "n")
        )
        triples = [(o, stage, n) for o, stage, n in rows]
        return _per_owner(report, period, triples, wanted, await _names([t[0] for t in triples]))
    if report == "sales_by_employee":
        rows = await (
            leads.filter(created_at__gte=start, created_at__lt=end)
            .annotate(n=Count("id"))
            .group_by("owner_id", "stage")
            .values_list("owner_id", "stage", "n")
        )
        return _per_owner(
            report, period, list(rows), list(_STAGES), await _names([r[0] for r in rows])
        )
    if report == "orders_by_employee":
        # From the day roll-up (exact, core/services/rollup.py): orders not cancelled.
        rows = await (
            ops_scoped(OrderDay, actor)
            .filter(day__gte=day_number(period.first), day__lte=day_number(period.last))
            .annotate(n=Sum("n"), s=Sum("total"))
            .group_by("owner_id")
            .values_list("owner_id", "n", "s")
        )
        names = await _names([r[0] for r in rows])
        ordered = sorted(rows, key=lambda r: -int(r[2] or 0))
        return ChartData(
            report,
            period,
            [names.get(int(r[0]), "") for r in ordered],
            [Series("amount", [int(r[2] or 0) for r in ordered])],
            money=True,
            counts=[int(r[1]) for r in ordered],
        )
    if report == "sales_by_item":
        return await _sales_by_item(actor, period)
    if report == "income_expense":
        return await _income_expense(actor, period)
    return await _conversions(actor, period)


_STAGES = ("potential", "caring", "booked", "in_service", "dead")


async def _sales_by_item(actor: Actor, period: Period) -> ChartData:
    """What sells: the amount of each service, package or product on the period's orders (not
    cancelled) in the reader's scope, best first, with the quantity sold after each bar. Lines
    are grouped by their name at the time of sale (a renamed item keeps its history)."""
    orders = (
        ops_scoped(Order, actor)
        .filter(order_date__gte=period.first, order_date__lte=period.last)
        .exclude(status="cancelled")
        .values("id")
    )
    rows = await (
        OrderLine.filter(order_id__in=Subquery(orders))
        .annotate(q=Sum("quantity"), s=Sum("amount"))
        .group_by("name")
        .values_list("name", "q", "s")
    )
    ordered = sorted(rows, key=lambda r: (-int(r[2] or 0), str(r[0])))
    return ChartData(
        "sales_by_item",
        period,
        [str(r[0]) for r in ordered],
        [Series("amount", [int(r[2] or 0) for r in ordered])],
        money=True,
        counts=[int(r[1] or 0) for r in ordered],
    )


async def _income_expense(actor: Actor, period: Period) -> ChartData:
    """Receipts (thu) and payments (chi) per day, or per month for a year."""
    rows = await (
        ops_scoped(Voucher, actor)
        .filter(voucher_date__gte=period.first, voucher_date__lte=period.last, status="done")
        .annotate(s=Sum("amount"))
        .group_by("voucher_date", "kind")
        .values_list("voucher_date", "kind", "s")
    )
    by_month = period.kind == "year"
    buckets: dict[Any, dict[str, int]] = defaultdict(dict)
    for day, kind, total in rows:
        day = day if isinstance(day, date) else date.fromisoformat(str(day))
        key = day.month if by_month else day
        buckets[key][str(kind)] = buckets[key].get(str(kind), 0) + int(total or 0)
    if by_month:
        keys: list[Any] = list(range(1, 13))
        labels = [f"{m:02d}" for m in keys]
    else:
        span = (period.last - period.first).days + 1
        keys = [period.first + timedelta(days=i) for i in range(span)]
        labels = [d.strftime("%d/%m") for d in keys]
    return ChartData(
        "income_expense",
        period,
        labels,
        [Series(k, [buckets[d].get(k, 0) for d in keys]) for k in ("receipt", "payment")],
        money=True,
    )


async def _conversions(actor: Actor, period: Period) -> ChartData:
    """Leads converted to customers per month of the period's year (a line)."""
    year = period.first.year
    # Counted per local month in SQL (Vietnam has no daylight saving: UTC+7 all year), in one
    # pass over the year's conversions: no row and no datetime comes back to Python.
    start, end = clock.at_local(date(year, 1, 1)), clock.at_local(date(year + 1, 1, 1))
    sqlite = connections.get("default").capabilities.dialect == "sqlite"
    month = (
        "CAST(strftime('%m', \"converted_at\", '+7 hours') AS INTEGER)"
        if sqlite
        else "EXTRACT(MONTH FROM \"converted_at\" AT TIME ZONE 'Asia/Ho_Chi_Minh')::int"
    )
    rows = await (
        scoped(Lead, actor)
        .filter(converted_at__gte=start, converted_at__lt=end)
        .annotate(m=RawSQL(month), n=Count("id"))
        .group_by("m")
        .values_list("m", "n")
    )
    months = [0] * 12
    for m, n in rows:
        months[int(m) - 1] += int(n)
    return ChartData(
        "conversions_by_month",
        Period("year", date(year, 1, 1), date(year, 12, 31), str(year)),
        [f"{m:02d}" for m in range(1, 13)],
        [Series("count", months)],
    )
