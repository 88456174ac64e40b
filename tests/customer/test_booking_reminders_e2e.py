"""Customer reminders of appointments (#9) through the fake Zalo OA and Messenger: sent once on
the conversation the customer wrote from while its window is open, else as a ZNS template when the
spa set one, else the front desk is asked to call; her "ok" confirms the appointment."""

# ruff: noqa: F811  (the tests take the imported `spa` fixture as a parameter)
from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import datetime

import pytest

from spacrm.bot.booking_reminders import send_appointment_reminders
from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.models import Appointment, ChannelIdentity, Conversation, Lead, OutboxMessage
from spacrm.core.services import bookings
from spacrm.core.settings import get_settings
from tests.bookings.conftest import THU, Spa, at, spa  # noqa: F401  (the fixture)
from tests.conftest import new_phone
from tests.customer.conftest import APP_SECRET, OA, PAGE, World, eventually

NOW = datetime(2026, 11, 25, 10, 0)
DAY_BEFORE = datetime(2026, 11, 25, 15, 31)  # 23 h 59 before Thursday 15:30


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    clock.freeze(NOW)
    yield
    clock.freeze(None)


async def _lead_of(channel: str, ref: str) -> Lead:
    async def linked() -> int | None:
        conv = await Conversation.get_or_none(channel=channel, customer_ref=ref)
        return conv.lead_id if conv else None

    return await Lead.get(id=await eventually(linked))


async def _book(spa: Spa, ceo: Actor, lead: Lead, hhmm: str) -> Appointment:
    booked = await bookings.book_appointment(ceo, lead_id=lead.id, service_id=spa.facial.id,
                                             starts_at=at(THU, hhmm),
                                             technician_id=spa.techs[0].id)  # fmt: skip
    return booked.appointment


@pytest.fixture(autouse=True)
async def _unlink_desks() -> AsyncIterator[None]:
    # The front desk's staff chat made here must not outlive the test: later tests route
    # customer hand-offs to a front desk that is linked on a staff chat.
    yield
    await ChannelIdentity.filter(external_id__startswith=DESK_PREFIX).delete()


DESK_PREFIX = "881726"


async def _desk_chat(spa: Spa) -> str:
    # A Telegram chat id is a number: the sender reads it as one.
    chat = f"{DESK_PREFIX}{spa.n:03d}{uuid.uuid4().int % 10**6:06d}"
    await ChannelIdentity.create(user_id=spa.desk.user_id, channel="telegram",
                                 external_id=chat, chat_id=chat)  # fmt: skip
    return chat


async def _desk_texts(chat: str) -> list[str]:
    rows = await OutboxMessage.filter(chat_id=chat).order_by("id")
    return [str(m.payload["text"]) for m in rows]


async def test_zalo_reminder_and_ok_confirms(world: World, spa: Spa, personas: dict) -> None:
    user = f"80019{uuid.uuid4().int % 10**14:014d}"
    world.zalo.add_user(OA, user, display_name="Lan Zalo")
    phone = new_phone()
    await world.zalo.deliver_text(world.zalo_hook, OA, user, f"sđt em {phone}",
                                  msg_id=uuid.uuid4().hex)  # fmt: skip
    lead = await _lead_of("zalo", user)
    desk = await _desk_chat(spa)
    appt = await _book(spa, personas["ceo"], lead, "15:30")

    clock.freeze(DAY_BEFORE)
    await send_appointment_reminders()
    await send_appointment_reminders()  # a second tick sends nothing more

    def reminders() -> list[str]:
        return [str(m.message.get("text", "")) for m in world.zalo.messages_to(user)
                if "nhắc lịch" in str(m.message.get("text", ""))]  # fmt: skip

    got = await eventually(lambda: _async(reminders()))
    assert "15:30" in got[0] and spa.facial.name in got[0] and spa.branch.name in got[0]
    assert any("Đã nhắn nhắc khách qua Zalo OA" in t for t in await _desk_texts(desk))
    assert not any("Gọi nhắc khách" in t for t in await _desk_texts(desk))

    # Her "ok em" confirms the appointment; the front desk is told.
    await world.zalo.deliver_text(world.zalo_hook, OA, user, "ok em",
                                  msg_id=uuid.uuid4().hex)  # fmt: skip

    async def confirmed() -> bool:
        return (await Appointment.get(id=appt.id)).status == "confirmed"

    await eventually(confirmed)
    await eventually(lambda: _async(any("đã xác nhận lịch" in str(m.message.get("text", ""))
                                        for m in world.zalo.messages_to(user))))  # fmt: skip
    assert any("đã xác nhận lịch" in t for t in await _desk_texts(desk))
    assert len(reminders()) == 1


async def test_messenger_reminder_has_a_confirm_button(
    world: World, spa: Spa, personas: dict
) -> None:
    psid = f"psid-rm-{uuid.uuid4().hex[:8]}"
    phone = new_phone()
    await world.graph.deliver_message(world.fb_hook, PAGE, psid, f"số của em {phone} nha",
                                      app_secret=APP_SECRET, mid=f"m-{uuid.uuid4().hex}")  # fmt: skip
    lead = await _lead_of("facebook", psid)
    await _book(spa, personas["ceo"], lead, "16:30")
    clock.freeze(datetime(2026, 11, 25, 16, 31))
    await send_appointment_reminders()

    async def reminder() -> dict | None:
        for m in world.graph.messages_to(psid):
            if "nhắc lịch" in str(m.message.get("text", "")):
                return m.message
        return None

    message = await eventually(reminder)
    assert "16:30" in message["text"]
    assert [q["title"] for q in message.get("quick_replies", [])] == ["✅ Xác nhận"]


async def test_outside_the_window_zns_or_a_call(
    world: World, spa: Spa, personas: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk = await _desk_chat(spa)
    # Wrote on Zalo three days before: the OA window (48 h) is closed.
    user = f"80018{uuid.uuid4().int % 10**14:014d}"
    world.zalo.add_user(OA, user, display_name="Mai Zalo")
    clock.freeze(datetime(2026, 11, 23, 9, 0))
    await world.zalo.deliver_text(world.zalo_hook, OA, user, f"em là Mai {new_phone()}",
                                  msg_id=uuid.uuid4().hex)  # fmt: skip
    mai = await _lead_of("zalo", user)
    clock.freeze(NOW)
    await _book(spa, personas["ceo"], mai, "15:30")
    clock.freeze(DAY_BEFORE)
    await send_appointment_reminders()
    texts = await _desk_texts(desk)
    assert len(texts) == 1 and "Gọi nhắc khách" in texts[0]  # no template set up: a call

    # With an approved ZNS template the next customer gets it on her phone.
    monkeypatch.setattr(get_settings(), "zns_reminder_template", "rm-0001")
    world.zalo.add_template("rm-0001", ["customer_name", "service", "time", "branch"])
    clock.freeze(NOW)
    hoa = await bookings.customer(personas["ceo"], (await spa.lead("Hoa")).id)
    await _book(spa, personas["ceo"], hoa, "17:00")
    clock.freeze(datetime(2026, 11, 25, 17, 1))
    await send_appointment_reminders()
    phone84 = "84" + str(hoa.phone)[1:]
    sent = await eventually(lambda: _async([z for z in world.zalo.zns_sent if z.phone == phone84]))
    assert sent[0].template_data["service"] == spa.facial.name
    assert "17:00" in sent[0].template_data["time"]
    assert "Đã nhắn nhắc khách qua ZNS" in (await _desk_texts(desk))[-1]


async def _async(value: object) -> object:
    return value
