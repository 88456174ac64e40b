"""Booking on Telegram through the fake Bot API: a taken time answered with free times as buttons,
one pressed; then check-in and completion from the appointment card's buttons."""

from __future__ import annotations

from datetime import date, datetime

from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.models import Appointment, Commission, StockMove
from spacrm.core.services.leads import create_lead
from tests.adapters.telegram.test_telegram_e2e import Harness, _link, bot  # noqa: F401
from tests.conftest import new_phone

DAY = date(2027, 1, 5)  # a Tuesday no other test books in Quận 1


async def test_front_desk_books_on_telegram(
    bot: Harness,  # noqa: F811
    personas: dict[str, Actor],
) -> None:
    clock.freeze(datetime(2027, 1, 5, 8, 0))
    try:
        user = 700_901
        await _link(bot, user, "lt_q1")
        a, b = new_phone(), new_phone()
        first = await create_lead(personas["st_q1a2"], name="Hồ Thị Ngọc Hân", phone=a)
        second = await create_lead(personas["st_q1b1"], name="Tạ Thị Bích Vân", phone=b)
        card = await bot.say(user, f"đặt lịch chị Hân {a} massage body 15h hôm nay ktv Hoa")
        assert "Đã đặt lịch cho Hồ Thị Ngọc Hân" in (card.text or "") and "15:00–16:00" in (
            card.text or ""
        )
        offer = await bot.say(user, f"đặt lịch chị Vân {b} massage body 15h hôm nay ktv Hoa")
        assert "Giờ này đã có lịch rồi" in (offer.text or ""), offer.text
        slot = next(
            data
            for label, data in offer.buttons
            if data and data.startswith("bk:") and "16:15" in label
        )
        booked = await bot.press(user, slot, offer.message_id)
        assert "Đã đặt lịch cho Tạ Thị Bích Vân" in (booked.text or "")
        moved = await Appointment.get(lead_id=second.id)
        assert (
            clock.local(moved.starts_at).strftime("%H:%M") == "16:15"
        )  # 16:00 + 10 min buffer → grid

        arrived = next(data for label, data in card.buttons if data and data.startswith("ai:"))
        out = await bot.press(user, arrived, card.message_id)
        assert "đã tới" in (out.text or "")
        done = next(data for label, data in out.buttons if data and data.startswith("ad:"))
        out = await bot.press(user, done, out.message_id)
        assert "Xong buổi" in (out.text or "") and "Hoa hồng KTV Hoa" in (out.text or "")
        appt = await Appointment.get(lead_id=first.id)
        assert appt.status == "done" and await Commission.filter(appointment_id=appt.id).exists()
        assert await StockMove.filter(appointment_id=appt.id, kind="session").exists()
        again = await bot.press(user, done, out.message_id)  # the same button again
        assert "đã được xử lý" in (again.text or "")
        assert await Commission.filter(appointment_id=appt.id).count() == 1
        assert clock.today() == DAY
    finally:
        clock.freeze(None)
