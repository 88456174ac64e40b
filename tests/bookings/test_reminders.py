"""Appointment reminders: 24 h and 2 h before, to the technician and the front desk, each once."""

from __future__ import annotations

from datetime import datetime

from spacrm.bot.booking_reminders import send_appointment_reminders
from spacrm.core import clock
from spacrm.core.models import ChannelIdentity, OutboxMessage
from spacrm.core.services import bookings
from tests.bookings.conftest import THU, Spa, at


async def _texts(chat_id: str) -> list[str]:
    return [
        str(m.payload["text"]) for m in await OutboxMessage.filter(chat_id=chat_id).order_by("id")
    ]


async def test_reminders_once_each(spa: Spa) -> None:
    hoa_chat, desk_chat = str(7_300_000 + spa.n * 10), str(7_300_000 + spa.n * 10 + 1)
    await ChannelIdentity.create(user_id=spa.techs[0].id, channel="telegram",
                                 external_id=hoa_chat, chat_id=hoa_chat)  # fmt: skip
    await ChannelIdentity.create(user_id=spa.desk.user_id, channel="telegram",
                                 external_id=desk_chat, chat_id=desk_chat)  # fmt: skip
    lead = await spa.lead("Lan")
    await bookings.book_appointment(spa.desk, lead_id=lead.id, service_id=spa.facial.id,
                                    starts_at=at(THU, "15:30"), technician_id=spa.techs[0].id)  # fmt: skip
    await send_appointment_reminders()
    assert await _texts(hoa_chat) == []  # 29.5 hours ahead: nothing yet

    clock.freeze(datetime(2026, 11, 25, 15, 31))  # 23h59 before
    await send_appointment_reminders()
    await send_appointment_reminders()  # a second tick (or a restart) sends nothing more
    hoa, desk = await _texts(hoa_chat), await _texts(desk_chat)
    assert len(hoa) == 1 and "Nhắc lịch" in hoa[0] and "15:30" in hoa[0] and lead.name in hoa[0]
    assert len(desk) == 1 and "Gọi nhắc khách" in desk[0] and "Gọi nhắc khách" not in hoa[0]
    button = (await OutboxMessage.filter(chat_id=desk_chat).first()).payload["buttons"]  # type: ignore[union-attr]
    assert button[0][0][1].startswith("ai:")

    clock.freeze(datetime(2026, 11, 26, 13, 45))  # 1h45 before: the 2-hour reminder
    await send_appointment_reminders()
    await send_appointment_reminders()
    assert len(await _texts(hoa_chat)) == 2 and len(await _texts(desk_chat)) == 2


async def test_late_booking_gets_one_reminder(spa: Spa) -> None:
    chat = str(7_300_000 + spa.n * 10 + 2)
    await ChannelIdentity.create(user_id=spa.techs[1].id, channel="telegram",
                                 external_id=chat, chat_id=chat)  # fmt: skip
    lead = await spa.lead("Mai")
    await bookings.book_appointment(spa.desk, lead_id=lead.id, service_id=spa.facial.id,
                                    starts_at=at(THU.replace(day=25), "11:00"),
                                    technician_id=spa.techs[1].id)  # fmt: skip
    await send_appointment_reminders()
    await send_appointment_reminders()
    assert len(await _texts(chat)) == 1  # within both 24 h and 2 h: one message
