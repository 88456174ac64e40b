"""What the roll-up tests share (test_rollup.py: activities, test_order_rollup.py: orders): who
and which periods are compared, the comparison loop (the KPI report's lines against the raw
query's figures, then the test's own views, for every scope level and period) and the roll-up
tables read back as sorted rows."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from tortoise import connections

from spacrm.core.actors import Actor
from spacrm.core.models import User
from spacrm.core.services.kpi import kpi_report
from spacrm.core.services.reports import Period, parse_period

# Every scope level: the chain, a region, a branch, teams, staff, the front desk, another branch.
LOGINS = ("ceo", "rm_nam", "bd_q1", "tl_q1a", "tl_q1b", "st_q1a1", "st_q1b1", "lt_q1", "bd_hd")
# Whose the generated records are: two teams of one branch, other branches, a technician.
STAFF = ("st_q1a1", "st_q1a2", "tl_q1a", "st_q1b1", "tl_q1b", "st_gva1", "st_hda1", "ktv_q1")

RawKpi = Callable[[Actor, Period, list[int]], Awaitable[dict[int, dict[str, int]]]]
Views = Callable[[dict[int, str], str, Actor, Period], Awaitable[None]]


def periods(year: int) -> list[Period]:
    """Months, weeks, the days at a month's edges and the whole year (the data is Jan–Mar)."""
    codes = ("-01", "-02", "-03", "-W05", "-W09", "-01-31", "-03-01", "")
    return [parse_period(f"{year}{code}") for code in codes]


def own(user: User) -> dict[str, Any]:
    """The scope columns of a record `user` owns."""
    return {"owner_id": user.id, "team_id": user.team_id, "branch_id": user.branch_id,
            "region_id": user.region_id}  # fmt: skip


async def compare(personas: dict[str, Actor], year: int, raw_kpi: RawKpi, views: Views) -> None:
    """For every login and period of `year`: each KPI line's figures that `raw_kpi` computes are
    the report's, then `views` (given the users' names by id: charts show names) asserts the
    test's other reports against their raw queries."""
    names = {int(i): str(n) for i, n in await User.all().values_list("id", "full_name")}
    for login in LOGINS:
        actor = personas[login]
        for period in periods(year):
            lines = await kpi_report(actor, period=period)
            raw = await raw_kpi(actor, period, [line.user_id for line in lines])
            for line in lines:
                got = {k: line.actual[k] for k in raw[line.user_id]}
                assert got == raw[line.user_id], (login, period.code, line.name)
            await views(names, login, actor, period)


async def rows(sql: str) -> list[tuple[Any, ...]]:
    """The rows of `sql`, as sorted tuples (a roll-up table, to compare before and after)."""
    found = await connections.get("default").execute_query_dict(sql)
    return sorted(tuple(r.values()) for r in found)
