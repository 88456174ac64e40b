"""The random permission walk over orders, vouchers and courses (DESIGN §2): sales visibility,
plus the front desk of the branch where a sale happens, plus a technician's own courses."""

from __future__ import annotations

import random

import pytest

from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import Branch, Course, Order, User, Voucher
from spacrm.core.permissions import ops_scoped
from spacrm.core.services.courses import get_course
from spacrm.core.services.orders import OrderItemSpec, create_order, get_order
from spacrm.core.services.vouchers import record_payment
from tests.sales.conftest import make_lead, package_id


def _expected(user: User, record: Order | Voucher | Course, directed: set[int]) -> bool:
    """The rule, from the org tree and the record's owner/site rather than from scope_filter."""
    if user.role in ("board", "admin"):
        return True
    if user.is_front_desk and user.role in ("staff", "team_lead"):
        if user.branch_id in (record.branch_id, record.site_branch_id):
            return True
    if user.is_technician and isinstance(record, Course) and record.technician_id == user.id:
        return True
    if user.role == "region":
        return record.region_id == user.region_id
    if user.role == "branch_director":
        return record.branch_id in directed | {user.branch_id}
    if user.role == "team_lead":
        return record.team_id is not None and record.team_id == user.team_id
    return record.owner_id == user.id


@pytest.fixture(scope="module")
async def sold(personas: dict[str, Actor]) -> None:
    """Sales by every salesperson, some rung up by another branch's front desk, some paid (a
    receipt and a course), a few courses given a technician."""
    rng = random.Random(11)
    sellers = [a for a in personas.values() if a.role.value in ("staff", "team_lead")
               and not a.is_front_desk and not a.is_technician]  # fmt: skip
    desks = [a for a in personas.values() if a.is_front_desk]
    techs = [a for a in personas.values() if a.is_technician]
    package = await package_id("GOI04")
    for n in range(24):
        seller = sellers[n % len(sellers)]
        lead = await make_lead(seller)
        by = rng.choice([seller, *desks])
        if by.is_front_desk and by.home_branch_id != seller.home_branch_id:
            by = seller  # the front desk only serves customers of its own branch
        order = await create_order(by, lead_id=lead.id, items=[OrderItemSpec(package_id=package)])
        if n % 2 == 0:
            await record_payment(by, order_id=order.id, amount=order.total, method="cash")
    for course in await Course.all().limit(40):
        if rng.random() < 0.5:
            course.technician_id = rng.choice(techs).user_id
            await course.save(update_fields=["technician_id"])


async def test_walk_orders_vouchers_courses(personas: dict[str, Actor], sold: None) -> None:
    users = {u.id: u for u in await User.all()}
    directed: dict[int, set[int]] = {u: set() for u in users}
    for b in await Branch.all():
        if b.director_id:
            directed[b.director_id].add(b.id)
    records: list[Order | Voucher | Course] = [
        *await Order.all(),
        *await Voucher.filter(kind="receipt"),
        *await Course.all(),
    ]
    rng = random.Random(5)
    seen = 0
    for _ in range(400):
        user = rng.choice(list(users.values()))
        record = rng.choice(records)
        actor = personas[user.login]
        expected = _expected(user, record, directed[user.id])
        tech = {"technician_field": "technician_id"} if isinstance(record, Course) else {}
        visible = await ops_scoped(type(record), actor, **tech).filter(id=record.id).exists()
        assert visible == expected, (user.login, type(record).__name__, record.id)
        seen += expected
        if isinstance(record, Order):
            if expected:
                assert (await get_order(actor, number=record.number)).id == record.id
            else:
                with pytest.raises(DomainError) as err:
                    await get_order(actor, number=record.number)
                assert err.value.code == ErrorCode.NOT_FOUND
        if isinstance(record, Course) and not expected:
            with pytest.raises(DomainError):
                await get_course(actor, record.id)
    assert 0 < seen < 400


async def test_nobody_pays_an_order_they_cannot_see(personas: dict[str, Actor], sold: None) -> None:
    order = await Order.filter(
        status="confirmed", branch_id=personas["st_q1a1"].home_branch_id
    ).first()
    assert order is not None
    for login in ("st_gva1", "lt_gv", "lt_hd", "bd_gv", "tl_hda"):
        with pytest.raises(DomainError) as err:
            await record_payment(personas[login], order_id=order.id, amount=1000, method="cash")
        assert err.value.code == ErrorCode.NOT_FOUND
    assert await Voucher.filter(order_id=order.id).count() == 0


async def test_course_technician_buttons_out_of_scope(
    personas: dict[str, Actor], sold: None
) -> None:
    """Forged "KTV" presses (ct/cg) on courses the presser cannot see: nothing shown, nothing
    changed, whatever the course."""
    from spacrm.bot.engine import Engine
    from spacrm.intents.chat import ChatEvent

    users = {u.id: u for u in await User.all()}
    directed: dict[int, set[int]] = {u: set() for u in users}
    for b in await Branch.all():
        if b.director_id:
            directed[b.director_id].add(b.id)
    courses = await Course.all()
    techs = [a for a in personas.values() if a.is_technician]
    engine, rng, pressed = Engine(), random.Random(17), 0
    for step in range(80):
        user = rng.choice(list(users.values()))
        course = rng.choice(courses)
        course = await Course.get(id=course.id)
        if _expected(user, course, directed[user.id]):
            continue
        for payload in (f"ct:{course.id}", f"cg:{course.id}:{rng.choice(techs).user_id}",
                        f"cg:{course.id}:0"):  # fmt: skip
            replies = await engine.handle(
                ChatEvent(channel="walk", external_user_id=user.login, chat_id=f"ktv-{user.login}",
                          payload=payload, event_id=f"ktv-{step}-{payload}"),
                actor=personas[user.login],
            )  # fmt: skip
            pressed += 1
            assert course.name not in "\n".join(r.text for r in replies), (user.login, payload)
        after = await Course.get(id=course.id)
        assert after.technician_id == course.technician_id, (user.login, course.id)
    assert pressed >= 60
