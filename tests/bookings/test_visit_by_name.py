"""A day tried as new staff would (staffqa): the technician marks her own session done by the
customer's name, though she does not see the customer's card; a session booked before the
package was paid still redeems the course; the booking finds a service named as staff say it."""

from __future__ import annotations

from spacrm.core.models import Appointment, Course, Lead, Order
from spacrm.core.services import availability, bookings, sessions, stock
from spacrm.core.services.users import actor_for
from tests.bookings.conftest import NOW, Spa, at
from tests.bookings.desk import Desk

TODAY = NOW.date()


async def _gel(spa: Spa) -> None:
    await stock.stock_in(spa.desk, product_id=spa.gel.id, quantity=100, branch_id=spa.branch.id)


async def test_technician_completes_by_name_and_a_later_course_is_redeemed(spa: Spa) -> None:
    await _gel(spa)
    lead = await spa.lead("Ngân")
    booked = await bookings.book_appointment(spa.desk, lead_id=lead.id, service_id=spa.laser.id,
                                             starts_at=at(TODAY, "11:00"))  # fmt: skip
    assert booked.appointment.course_id is None  # nothing prepaid yet at booking time
    # The package is paid after the booking: the course exists now, the appointment has none.
    course = await spa.course(lead, spa.laser, sessions=10)
    await sessions.check_in(spa.desk, appointment_id=booked.appointment.id)

    hoa = Desk(await actor_for(spa.techs[0]))
    await hoa.says("xong buoi c Ngân", "Xong buổi", "Ngân", "còn 9/10 buổi")
    appt = await Appointment.get(id=booked.appointment.id)
    assert appt.status == "done" and appt.course_id == course.id and appt.amount == 250_000
    assert (await Course.get(id=course.id)).sessions_used == 1
    # Redeemed from the course: no second, pay-per-visit order at list price.
    assert not await Order.filter(lead_id=lead.id).exists()


async def test_technician_pay_per_visit_is_sold_by_the_customers_owner(spa: Spa) -> None:
    await _gel(spa)
    lead = await spa.lead("Quyên")
    booked = await bookings.book_appointment(spa.desk, lead_id=lead.id, service_id=spa.laser.id,
                                             starts_at=at(TODAY, "11:00"))  # fmt: skip
    await sessions.check_in(spa.desk, appointment_id=booked.appointment.id)
    hoa = Desk(await actor_for(spa.techs[0]))
    await hoa.says("xong buổi chị Quyên", "Xong buổi", "300.000 ₫")
    order = await Order.get(lead_id=lead.id)
    assert order.total == 300_000 and order.owner_id == lead.owner_id
    # The technician does not move the customer's stage (she does not see the card).
    assert (await Lead.get(id=lead.id)).stage == "in_service"  # the front desk's check-in did


async def test_technician_name_not_on_her_day_is_not_guessed(spa: Spa) -> None:
    lead = await spa.lead("Diệp")
    booked = await bookings.book_appointment(spa.desk, lead_id=lead.id, service_id=spa.laser.id,
                                             starts_at=at(TODAY, "11:00"))  # fmt: skip
    mai = Desk(await actor_for(spa.techs[1]))  # not Mai's appointment: nothing done
    await mai.says("xong buổi chị Diệp", "không tìm thấy")
    assert (await Appointment.get(id=booked.appointment.id)).status == "booked"


async def test_service_named_as_staff_say_it(spa: Spa) -> None:
    tag = spa.laser.name.split()[-1]
    found = await availability.find_services(spa.branch.id, f"triet {tag}")
    assert [s.id for s in found] == [spa.laser.id]  # "Triệt lông …" without "lông"
    assert await availability.find_services(spa.branch.id, f"triet mat {tag}") == []
