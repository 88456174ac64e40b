"""The report roll-ups (activity_day, lead_touch) give exactly what the raw activity queries gave,
on randomised data that is then edited, moved between days and months, reassigned (the real
service and raw column updates), marked done / undone and deleted (one by one, in bulk and by a
lead's cascade) — for every scope level and several periods, on the database the run uses.

The reference functions below are the queries the reports ran before the roll-ups existed."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from tortoise.expressions import Subquery
from tortoise.functions import Count

from spacrm.core.actors import Actor
from spacrm.core.models import Activity, Lead, User
from spacrm.core.permissions import scoped
from spacrm.core.services.kpi import KINDS
from spacrm.core.services.lead_edits import reassign_lead
from spacrm.core.services.overview import overview
from spacrm.core.services.reports import Period, chart_data
from spacrm.core.services.rollup import rebuild
from spacrm.core.textnorm import fold
from tests.conftest import new_phone
from tests.reports.rollup_check import STAFF, compare, own, rows

pytestmark = pytest.mark.usefixtures("db")

# 2019: no other test writes there, so a failure points at this data (equality holds anyway).
FIRST, LAST = date(2019, 1, 1), date(2019, 3, 31)


async def _raw_calls(actor: Actor, period: Period) -> dict[int, int]:
    rows = await (
        scoped(Activity, actor)
        .filter(status="done", done_at__gte=period.start, done_at__lt=period.end, kind="call")
        .annotate(n=Count("id"))
        .group_by("owner_id")
        .values_list("owner_id", "n")
    )
    return {int(o): int(n) for o, n in rows}


async def _raw_cared(actor: Actor, period: Period, stages: list[str] | None) -> dict[Any, int]:
    acts = scoped(Activity, actor).filter(
        status="done", done_at__gte=period.start, done_at__lt=period.end, lead_id__isnull=False
    )
    leads = scoped(Lead, actor)
    if stages:
        leads = leads.filter(stage__in=stages)
    rows = await (
        leads.filter(id__in=Subquery(acts.values("lead_id")))
        .annotate(n=Count("id"))
        .group_by("owner_id", "stage")
        .values_list("owner_id", "stage", "n")
    )
    return {(int(o), str(s)): int(n) for o, s, n in rows}


async def _raw_kpi(actor: Actor, period: Period, ids: list[int]) -> dict[int, dict[str, int]]:
    done = scoped(Activity, actor).filter(
        owner_id__in=ids, status="done", done_at__gte=period.start, done_at__lt=period.end
    )
    out: dict[int, dict[str, int]] = {
        i: dict.fromkeys([*KINDS.values(), "leads_contacted"], 0) for i in ids
    }
    for owner, kind, n in (
        await done.annotate(n=Count("id"))
        .group_by("owner_id", "kind")
        .values_list("owner_id", "kind", "n")
    ):
        if kind in KINDS:
            out[int(owner)][KINDS[kind]] += int(n)
    for owner, n in (
        await done.filter(lead_id__isnull=False)
        .annotate(n=Count("lead_id", distinct=True))
        .group_by("owner_id")
        .values_list("owner_id", "n")
    ):
        out[int(owner)]["leads_contacted"] = int(n)
    return out


def _chart_map(data: Any) -> dict[Any, int]:
    """ChartData of a per-owner chart → {(owner name, series key): value} without zeros."""
    return {
        (name, s.key): v
        for s in data.series
        for name, v in zip(data.categories, s.values, strict=True)
        if v
    }


async def _views(names: dict[int, str], login: str, actor: Actor, period: Period) -> None:
    calls = await chart_data(actor, "calls_by_employee", period)
    want = {(names[o], "count"): n for o, n in (await _raw_calls(actor, period)).items()}
    assert _chart_map(calls) == want, (login, period.code, "calls")
    for report, stages in (("leads_cared", None), ("customers_cared", ["booked", "in_service"])):
        got = _chart_map(await chart_data(actor, report, period))
        raw = await _raw_cared(actor, period, stages)
        assert got == {(names[o], s): n for (o, s), n in raw.items()}, (login, period.code, report)
    view = await overview(actor, period)
    raw_all = scoped(Activity, actor).filter(
        status="done", done_at__gte=period.start, done_at__lt=period.end
    )
    assert view.calls == await raw_all.filter(kind="call").count()
    assert view.meetings == await raw_all.filter(kind="meeting").count()


async def _compare(personas: dict[str, Actor]) -> None:
    await compare(personas, FIRST.year, _raw_kpi, _views)


async def _tables() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    return (
        await rows(
            "SELECT day, kind, owner_id, team_id, branch_id, region_id, n FROM activity_day"
        ),
        await rows(
            "SELECT month, lead_id, owner_id, team_id, branch_id, region_id, days FROM lead_touch"
        ),
    )


def _when(rng: random.Random) -> datetime:
    """A moment in Jan–Mar 2019, often right at a local midnight (17:00 UTC) or a month's end."""
    day = FIRST + timedelta(days=rng.randrange((LAST - FIRST).days + 1))
    if rng.random() < 0.3:
        minute = rng.choice([16 * 60 + 59, 17 * 60, 17 * 60 + 1])  # 23:59, 0:00, 0:01 local
        return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(minutes=minute)
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
        minutes=rng.randrange(1440)
    )


@pytest.mark.parametrize("seed", [1, 2])
async def test_rollups_match_the_raw_activity_queries(
    personas: dict[str, Actor], seed: int
) -> None:
    rng = random.Random(seed)
    staff = {u.login: u for u in await User.filter(login__in=STAFF)}
    people = list(staff.values())
    leads: list[Lead] = []
    for i in range(24):
        name = f"Cuộn Số {seed}-{i}"
        leads.append(await Lead.create(name=name, name_key=fold(name), phone=new_phone(),
                                       stage=rng.choice(["potential", "caring", "booked", "in_service", "dead"]),
                                       **own(rng.choice(people))))  # fmt: skip
    acts: list[Activity] = []
    try:
        for _ in range(260):
            lead = rng.choice(leads) if rng.random() < 0.85 else None
            who = own(rng.choice(people)) if lead is None or rng.random() < 0.2 else {
                "owner_id": lead.owner_id, "team_id": lead.team_id, "branch_id": lead.branch_id,
                "region_id": lead.region_id}  # fmt: skip
            done = rng.random() < 0.8
            acts.append(await Activity.create(
                kind=rng.choice(["call", "meeting", "email", "quote_email"]),
                status="done" if done else rng.choice(["planned", "cancelled"]),
                done_at=_when(rng) if done else None, due_at=_when(rng),
                lead_id=lead.id if lead else None, **who))  # fmt: skip
        await _compare(personas)

        # Edits through the ORM: moved in time, re-kinded, undone / done, moved to another lead.
        for act in rng.sample(acts, 90):
            change = rng.randrange(5)
            if change == 0:
                act.done_at = _when(rng)
            elif change == 1:
                act.kind = rng.choice(["call", "meeting", "email", "quote_email"])
            elif change == 2:
                act.status = "planned" if act.status == "done" else "done"
                act.done_at = _when(rng) if act.status == "done" else act.done_at
            elif change == 3:
                act.lead_id = rng.choice(leads).id if rng.random() < 0.8 else None
            else:
                act.status, act.done_at = "done", _when(rng)
                for key, val in own(rng.choice(people)).items():
                    setattr(act, key, val)
            await act.save()
        # Reassignment: the real service (planned activities follow the lead), then a raw bulk move.
        for lead in rng.sample(leads, 6):
            target = rng.choice([u for u in people if u.branch_id == lead.branch_id] or people)
            if target.branch_id == lead.branch_id:
                await reassign_lead(personas["ceo"], lead_id=lead.id, owner_id=target.id)
        mover = rng.choice(people)
        await Activity.filter(id__in=[a.id for a in rng.sample(acts, 30)]).update(**own(mover))
        await Activity.filter(id__in=[a.id for a in rng.sample(acts, 20)]).update(
            status="done", done_at=_when(rng)
        )
        await _compare(personas)

        # Deletes: single rows, a bulk delete, and a lead whose activities go by cascade.
        gone = rng.sample(acts, 40)
        for act in gone[:20]:
            await Activity.filter(id=act.id).delete()
        await Activity.filter(id__in=[a.id for a in gone[20:]]).delete()
        for lead in rng.sample(leads, 3):
            await Lead.filter(id=lead.id).delete()
        await _compare(personas)

        kept = await _tables()
        await rebuild()
        assert await _tables() == kept  # what the triggers kept == a recount from scratch
    finally:
        await Activity.filter(id__in=[a.id for a in acts]).delete()
        await Lead.filter(id__in=[lead.id for lead in leads]).delete()
    days, touches = await _tables()
    assert not [d for d in days if FIRST.year * 10_000 <= d[0] < (FIRST.year + 1) * 10_000]
    assert not [t for t in touches if t[0] // 100 == FIRST.year]
