"""Check-in, completion (course session redeemed, consumables out, commission accrued) and
no-shows; refusals leave nothing half-written."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest

from spacrm.core import clock
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import (
    Appointment,
    Branch,
    Commission,
    Course,
    Lead,
    Order,
    OrderLine,
    StockMove,
)
from spacrm.core.services import bookings, sessions, stock
from spacrm.core.settings import get_settings
from tests.bookings.conftest import NOW, THU, Spa, at

TODAY = NOW.date()


async def _book_today(spa: Spa, lead: Lead, hhmm: str = "11:00") -> Appointment:
    booked = await bookings.book_appointment(spa.desk, lead_id=lead.id, service_id=spa.laser.id,
                                             starts_at=at(TODAY, hhmm))  # fmt: skip
    return booked.appointment


async def test_complete_redeems_deducts_and_accrues(spa: Spa) -> None:
    lead = await spa.lead()
    course = await spa.course(lead, spa.laser, sessions=10, sessions_used=2)
    await stock.stock_in(spa.desk, product_id=spa.gel.id, quantity=100, branch_id=spa.branch.id)
    appt = await _book_today(spa, lead)
    assert appt.course_id == course.id and appt.amount == 250_000
    await sessions.check_in(spa.desk, appointment_id=appt.id)
    assert (await Appointment.get(id=appt.id)).status == "checked_in"
    assert (await Lead.get(id=lead.id)).stage == "in_service"

    done = await sessions.complete_session(spa.desk, appointment_id=appt.id)
    assert (await Appointment.get(id=appt.id)).status == "done"
    course = await Course.get(id=course.id)
    assert course.sessions_used == 3 and done.course is not None
    moves = await StockMove.filter(appointment_id=appt.id)
    assert [(m.product_id, m.qty_milli, m.kind) for m in moves] == [
        (spa.gel.id, -30_000, "session")
    ]
    left = await stock.stock_query(spa.desk, product_id=spa.gel.id, branch_id=spa.branch.id)
    assert left[0].quantity == 70
    commission = await Commission.get(appointment_id=appt.id)
    assert commission.technician_id == appt.technician_id and commission.amount == 25_000
    assert commission.course_id == course.id and commission.earned_on == TODAY

    # Completing again (a second press, another chat): refused, nothing more written.
    with pytest.raises(DomainError) as err:
        await sessions.complete_session(spa.desk, appointment_id=appt.id)
    assert err.value.code == ErrorCode.WRONG_STATUS
    assert (await Course.get(id=course.id)).sessions_used == 3
    assert await StockMove.filter(appointment_id=appt.id).count() == 1
    assert await Commission.filter(appointment_id=appt.id).count() == 1
    assert not await Order.filter(lead_id=lead.id).exists()  # the course paid for it


async def test_parallel_completions_redeem_once(spa: Spa) -> None:
    lead = await spa.lead()
    course = await spa.course(lead, spa.laser, sessions=5)
    await stock.stock_in(spa.desk, product_id=spa.gel.id, quantity=100, branch_id=spa.branch.id)
    appt = await _book_today(spa, lead)
    results = await asyncio.gather(
        *(sessions.complete_session(spa.desk, appointment_id=appt.id) for _ in range(4)),
        return_exceptions=True,
    )
    assert sum(1 for r in results if not isinstance(r, Exception)) == 1
    assert (await Course.get(id=course.id)).sessions_used == 1
    assert await Commission.filter(appointment_id=appt.id).count() == 1


async def test_visit_without_course_uses_list_price(spa: Spa) -> None:
    lead = await spa.lead()
    await stock.stock_in(spa.desk, product_id=spa.gel.id, quantity=100, branch_id=spa.branch.id)
    appt = await _book_today(spa, lead)
    done = await sessions.complete_session(spa.desk, appointment_id=appt.id)
    assert done.course is None and done.commission.amount == 30_000  # 10 % of 300.000
    # The single visit is a line of a confirmed order, to be paid at the desk.
    order = await Order.get(lead_id=lead.id)
    lines = await OrderLine.filter(order_id=order.id)
    assert order.status == "confirmed" and order.total == 300_000 and order.paid == 0
    assert [(line.item_id, line.quantity, line.sessions) for line in lines] == [
        (spa.laser.id, 1, 0)
    ]


@pytest.mark.parametrize("case", ["empty", "expired", "stock", "other_branch"])
async def test_refused_completions_write_nothing(
    spa: Spa, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    lead = await spa.lead()
    course = await spa.course(lead, spa.laser, sessions=3)
    await stock.stock_in(spa.desk, product_id=spa.gel.id, quantity=100 if case != "stock" else 10,
                         branch_id=spa.branch.id)  # fmt: skip
    appt = await _book_today(spa, lead)
    if case == "empty":  # used up meanwhile (e.g. on another appointment)
        await Course.filter(id=course.id).update(sessions_used=3)
    if case == "expired":
        await Course.filter(id=course.id).update(expires_on=TODAY - timedelta(days=1))
    if case == "other_branch":  # bought in Quận 1, and the setting refuses other branches
        q1 = (await Branch.get(code="q1")).id
        await Course.filter(id=course.id).update(site_branch_id=q1)
        monkeypatch.setattr(get_settings(), "course_other_branch", False)
    with pytest.raises(DomainError) as err:
        await sessions.complete_session(spa.desk, appointment_id=appt.id)
    expected = {"empty": ErrorCode.COURSE_EMPTY, "expired": ErrorCode.COURSE_EXPIRED,
                "stock": ErrorCode.STOCK_NEGATIVE,
                "other_branch": ErrorCode.COURSE_OTHER_BRANCH}[case]  # fmt: skip
    assert err.value.code == expected
    assert (await Appointment.get(id=appt.id)).status == "booked"
    assert await StockMove.filter(appointment_id=appt.id).count() == 0
    assert await Commission.filter(appointment_id=appt.id).count() == 0
    if case == "stock":
        assert (await Course.get(id=course.id)).sessions_used == 0


async def test_no_show_and_future_session(spa: Spa) -> None:
    lead = await spa.lead()
    appt = await _book_today(spa, lead)
    # Before the appointment's time a no-show is refused: she may still come.
    with pytest.raises(DomainError) as early:
        await sessions.mark_no_show(spa.desk, appointment_id=appt.id)
    assert early.value.code == ErrorCode.NO_SHOW_TOO_EARLY
    assert (await Appointment.get(id=appt.id)).status == "booked"
    clock.freeze(at(TODAY, "11:30"))
    shown = await sessions.mark_no_show(spa.desk, appointment_id=appt.id)
    assert shown.status == "no_show" and await bookings.no_show_count(lead.id) == 1
    with pytest.raises(DomainError):
        await sessions.check_in(spa.desk, appointment_id=appt.id)
    later = (await bookings.book_appointment(spa.desk, lead_id=lead.id, service_id=spa.laser.id,
             starts_at=at(THU, "11:00"))).appointment  # fmt: skip
    with pytest.raises(DomainError) as err:
        await sessions.complete_session(spa.desk, appointment_id=later.id)
    assert err.value.code == ErrorCode.SESSION_NOT_TODAY
    # Nor can she be checked in for tomorrow's appointment today: nothing changes.
    with pytest.raises(DomainError) as err:
        await sessions.check_in(spa.desk, appointment_id=later.id)
    assert err.value.code == ErrorCode.CHECK_IN_NOT_TODAY
    assert (await Appointment.get(id=later.id)).status == "booked"
    assert clock.today() == date(2026, 11, 25)
