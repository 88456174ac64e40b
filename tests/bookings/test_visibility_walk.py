"""Random permission walk over appointments (DESIGN §2): sales scope on the customer's ownership,
plus the front desk of the branch where it happens, plus the technician doing it — the same
answer from the day list, a direct read and an action; "not found" leaves the record unchanged."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from spacrm.core.actors import Actor, Role
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import Appointment, CatalogItem, User
from spacrm.core.services import bookings
from spacrm.core.services.leads import create_lead
from spacrm.core.services.users import actor_for
from tests.bookings.conftest import Spa, at
from tests.conftest import new_phone

DAY = date(2026, 12, 3)


def expected(actor: Actor, appt: Appointment) -> bool:
    if actor.role in (Role.BOARD, Role.ADMIN):
        return True
    desk_home = actor.home_branch_id if actor.is_front_desk else None
    if desk_home is not None and actor.role in (Role.STAFF, Role.TEAM_LEAD):
        sales = appt.branch_id == desk_home
    elif actor.role == Role.REGION:
        sales = appt.region_id == actor.region_id
    elif actor.role == Role.BRANCH_DIRECTOR:
        sales = appt.branch_id in actor.branch_ids
    elif actor.role == Role.TEAM_LEAD:
        sales = appt.team_id == actor.team_id
    else:
        sales = appt.owner_id == actor.user_id
    return (
        sales
        or (desk_home is not None and appt.site_branch_id == desk_home)
        or (actor.is_technician and appt.technician_id == actor.user_id)
    )


async def test_random_walk(spa: Spa, personas: dict[str, Actor]) -> None:
    rng = random.Random(9)
    appts: list[Appointment] = []
    # In the test branch: customers of its seller, booked by its front desk.
    for i in range(3):
        lead = await spa.lead(f"W{i}")
        booked = await bookings.book_appointment(
            spa.desk, lead_id=lead.id, service_id=spa.facial.id,
            starts_at=at(DAY, f"{10 + 2 * i}:00"), technician_id=spa.techs[i % 2].id,
        )  # fmt: skip
        appts.append(booked.appointment)
    # In Quận 1: customers of a Q1 salesperson, booked by the Q1 front desk with the demo KTVs.
    massage = await CatalogItem.get(code="DV12")
    for i, seller in enumerate(("st_q1a1", "st_q1b1", "tl_q1a")):
        lead = await create_lead(personas[seller], name=f"Walk {spa.n}-{i}", phone=new_phone())
        booked = await bookings.book_appointment(
            personas["lt_q1"], lead_id=lead.id, service_id=massage.id,
            starts_at=at(DAY + timedelta(days=spa.n % 20), f"{14 + i}:00"),
        )  # fmt: skip
        appts.append(booked.appointment)
    # The demo chain's people, this test's branch and the technicians of both branches (other
    # tests' branches only add people who see nothing here).
    q1 = (await User.get(login="lt_q1")).branch_id
    techs = [
        await actor_for(u)
        for u in await User.filter(is_technician=True, branch_id__in=[spa.branch.id, q1])
    ]
    demo = [a for login, a in personas.items() if not login.startswith("bk")]
    actors = [*demo, spa.desk, spa.seller, spa.director, *techs]
    seen = {True: 0, False: 0}
    for _ in range(150):
        actor, appt = rng.choice(actors), rng.choice(appts)
        want = expected(actor, appt)
        seen[want] += 1
        day = (await Appointment.get(id=appt.id)).starts_at
        listed = await bookings.list_appointments(actor, lead_id=appt.lead_id)
        assert (appt.id in [a.id for a in listed]) == want, (actor.login, appt.id)
        if want:
            assert (await bookings.get_appointment(actor, appt.id)).id == appt.id
            continue
        with pytest.raises(DomainError) as err:
            await bookings.cancel_appointment(actor, appointment_id=appt.id)
        assert err.value.code == ErrorCode.NOT_FOUND
        after = await Appointment.get(id=appt.id)
        assert after.status == "booked" and after.starts_at == day
    assert seen[True] > 10 and seen[False] > 10, seen
