"""Confirmation (booked → confirmed, by chat and by the appointment's button) and what the lead
card shows about appointments: the next one and the no-shows (with the booking warning)."""

from __future__ import annotations

from spacrm.core import clock
from spacrm.core.models import Appointment
from tests.bookings.conftest import NOW, Spa, at
from tests.bookings.desk import Desk


async def test_confirm_by_chat_and_button(spa: Spa) -> None:
    desk = Desk(spa.desk)
    lan, mai = await spa.lead("Lan"), await spa.lead("Mai")
    await desk.says(f"đặt lịch {lan.phone} {spa.facial.name} 15h thứ 5", "Đã đặt lịch")
    await desk.says(f"khách {lan.phone} xác nhận lịch rồi", "đã xác nhận lịch hẹn", "Đã xác nhận")
    assert (await Appointment.get(lead_id=lan.id)).status == "confirmed"
    await desk.says(f"đặt lịch {mai.phone} {spa.facial.name} 17h hôm nay", "Đã đặt lịch")
    await desk.press("Xác nhận", "đã xác nhận lịch hẹn")
    appt = await Appointment.get(lead_id=mai.id)
    assert appt.status == "confirmed"
    assert "Xác nhận" not in [b.text for b in desk.buttons]  # no second confirmation offered
    # A confirmed appointment is checked in like a booked one.
    await desk.press("Khách tới", "đã tới")
    assert (await Appointment.get(id=appt.id)).status == "checked_in"
    await desk.says(f"khách {mai.phone} xác nhận lịch", "không có lịch hẹn")


async def test_card_shows_next_appointment_and_no_shows(spa: Spa) -> None:
    desk = Desk(spa.desk)
    lan = await spa.lead("Lan")
    await desk.says(f"khách {lan.phone}", lan.name)
    for hour in (11, 14):
        await desk.says(f"đặt lịch {lan.phone} {spa.facial.name} {hour}h hôm nay", "Đã đặt lịch")
        clock.freeze(at(NOW.date(), f"{hour}:30"))  # a no-show is known once her time has passed
        await desk.says(f"khách {lan.phone} bùng hẹn", "không tới hẹn")
    out = await desk.says(f"khách {lan.phone}", "Đã 2 lần không tới hẹn")
    assert "⚠️ Đã 2 lần" in out  # the setting's default warns from 2
    await desk.says(f"đặt lịch {lan.phone} {spa.facial.name} 15h30 thứ 5",
                    "Đã đặt lịch", "đã 2 lần không tới hẹn")  # fmt: skip
    await desk.says(f"khách {lan.phone}", "Lịch hẹn: ", "15:30", spa.facial.name)
