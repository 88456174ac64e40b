"""Report fixtures: a small, known set of records in March–May 2025 (no other test writes
there), owned by staff of two teams, so every count and sum can be asserted exactly."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pytest

from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.models import Activity, Lead, Order, OrderLine, User, Voucher
from spacrm.core.permissions import Ownership
from spacrm.core.services.search import index_record
from spacrm.core.textnorm import fold
from tests.conftest import new_phone
from tests.frozen import frozen_clock_at

NOW = datetime(2026, 11, 25, 10, 0)


frozen_clock = frozen_clock_at(NOW)


@dataclass
class March:
    leads: dict[str, Lead] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # login -> full name


async def _owned(login: str) -> dict[str, Any]:
    u = await User.get(login=login)
    return {
        "owner_id": u.id,
        "team_id": u.team_id,
        "branch_id": u.branch_id,
        "region_id": u.region_id,
    }


def _at(day: date, hour: int = 10) -> datetime:
    return clock.at_local(day).replace(hour=hour)


async def _lead(key: str, login: str, source: str, stage: str, day: date, **extra: Any) -> Lead:
    name = f"Báo Cáo {key}"
    lead = await Lead.create(name=name, name_key=fold(name), phone=new_phone(), source=source,
                             stage=stage, **await _owned(login), **extra)  # fmt: skip
    await Lead.filter(id=lead.id).update(created_at=_at(day))
    await index_record(
        "lead",
        lead.id,
        name=name,
        phone=lead.phone,
        email=None,
        tax_code=None,
        citizen_id=None,
        owner=Ownership.of(lead),
    )  # searchable like any lead
    return lead


async def _done(lead: Lead, kind: str, day: date) -> None:
    cols = {k: getattr(lead, k) for k in ("owner_id", "team_id", "branch_id", "region_id")}
    await Activity.create(kind=kind, status="done", done_at=_at(day), lead_id=lead.id, **cols)


_seq = iter(range(1, 10_000))


async def _order(
    login: str,
    day: date,
    lines: list[tuple[str, int, int]],  # (name, quantity, amount): the total is their sum
    status: str = "confirmed",
) -> Order:
    n = next(_seq)
    owned = await _owned(login)
    total = sum(amount for _, _, amount in lines)
    number = f"HD2025-8{n:05d}"  # an order number like the real ones (found by its code)
    order = await Order.create(number=number, code=number.replace("-", ""), order_date=day,
                               site_branch_id=owned["branch_id"], customer_name="Khách báo cáo",
                               status=status, subtotal=total, total=total,
                               created_by_id=owned["owner_id"], **owned)  # fmt: skip
    for name, quantity, amount in lines:
        await OrderLine.create(order_id=order.id, kind="service", name=name, quantity=quantity,
                               list_price=amount // quantity, unit_price=amount // quantity,
                               amount=amount)  # fmt: skip
    return order


async def _voucher(login: str, kind: str, day: date, amount: int) -> None:
    n = next(_seq)
    owned = await _owned(login)
    await Voucher.create(number=f"RV2025-{n:06d}", kind=kind, name="báo cáo", voucher_date=day,
                         amount=amount, site_branch_id=owned["branch_id"],
                         created_by_id=owned["owner_id"], **owned)  # fmt: skip


@pytest.fixture(scope="session")
async def march(personas: dict[str, Actor]) -> March:
    d = date(2025, 3, 5)
    m = March()
    L = m.leads
    L["a1"] = await _lead("a1", "st_q1a1", "facebook", "potential", d)
    L["a2"] = await _lead("a2", "st_q1a1", "facebook", "potential", d)
    L["a3"] = await _lead("a3", "st_q1a1", "facebook", "caring", d)
    L["a4"] = await _lead("a4", "st_q1a1", "zalo", "booked", d)
    L["n1"] = await _lead("n1", "st_q1a2", "facebook", "potential", d)
    L["n2"] = await _lead("n2", "st_q1a2", "facebook", "in_service", d,
                          converted_at=_at(date(2025, 3, 10)))  # fmt: skip
    for i in range(5):
        L[f"b{i}"] = await _lead(f"b{i}", "st_q1b1", "zalo", "caring", d)
    await Lead.filter(id=L["b0"].id).update(stage="in_service", converted_at=_at(date(2025, 5, 2)))
    for _ in range(3):
        await _done(L["a1"], "call", date(2025, 3, 6))
    await _done(L["a4"], "meeting", date(2025, 3, 8))
    await _done(L["b1"], "call", date(2025, 3, 9))
    await _done(L["b2"], "call", date(2025, 3, 9))
    await _done(L["b2"], "call", date(2025, 4, 1))  # April: outside the month
    await _order("st_q1a1", date(2025, 3, 7), [("Triệt nách 10 buổi", 1, 1_500_000)])
    await _order("st_q1b1", date(2025, 3, 8),
                 [("Massage body", 2, 1_000_000), ("Triệt nách 10 buổi", 1, 2_000_000)])  # fmt: skip
    await _order("st_q1b1", date(2025, 3, 9), [("Nâng cơ HIFU", 1, 9_000_000)], status="cancelled")
    await _voucher("st_q1a1", "receipt", date(2025, 3, 7), 1_500_000)
    await _voucher("st_q1b1", "receipt", date(2025, 3, 8), 1_000_000)
    await _voucher("st_q1a1", "payment", date(2025, 3, 7), 200_000)
    for u in await User.filter(login__in=["st_q1a1", "st_q1a2", "st_q1b1"]):
        m.names[u.login] = u.full_name
    return m
