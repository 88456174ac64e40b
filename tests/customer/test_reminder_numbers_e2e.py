"""Numbered answers to a Zalo OA reminder (#9), through the fake Zalo OA: "1" confirms, "2" offers
other times and moves the appointment, "3" asks and then cancels; a "1" that does not answer the
reminder (nothing reminded, or the bot said something else since) changes nothing."""

# ruff: noqa: F811  (the tests take the imported `spa` fixture as a parameter)
from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime

import pytest

from spacrm.bot.booking_reminders import send_appointment_reminders
from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.models import Appointment, Conversation, Lead
from spacrm.core.services import bookings
from tests.bookings.conftest import THU, Spa, at, spa  # noqa: F401  (the fixture)
from tests.conftest import new_phone
from tests.customer.conftest import OA, World, eventually

NOW = datetime(2026, 11, 25, 10, 0)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    clock.freeze(NOW)
    yield
    clock.freeze(None)


class Customer:
    def __init__(self, world: World, name: str) -> None:
        self.world = world
        self.user = f"80017{uuid.uuid4().int % 10**14:014d}"
        world.zalo.add_user(OA, self.user, display_name=name)

    async def say(self, text: str) -> str:
        """Send a message, return the bot's next answer."""
        before = len(self.world.zalo.messages_to(self.user))
        await self.world.zalo.deliver_text(self.world.zalo_hook, OA, self.user, text,
                                           msg_id=uuid.uuid4().hex)  # fmt: skip

        async def answer() -> str:
            sent = self.world.zalo.messages_to(self.user)[before:]
            return "\n".join(str(m.message.get("text", "")) for m in sent)

        return str(await eventually(answer))

    async def lead(self) -> Lead:
        async def linked() -> int | None:
            conv = await Conversation.get_or_none(channel="zalo", customer_ref=self.user)
            return conv.lead_id if conv else None

        return await Lead.get(id=await eventually(linked))

    def texts(self) -> list[str]:
        return [str(m.message.get("text", "")) for m in self.world.zalo.messages_to(self.user)]


async def _reminded(world: World, spa: Spa, ceo: Actor, hhmm: str) -> tuple[Customer, Appointment]:
    """A Zalo customer with an appointment on Thursday at `hhmm`, reminded 24 h before."""
    who = Customer(world, f"Khách {uuid.uuid4().hex[:4]}")
    await who.say(f"sđt em {new_phone()}")
    lead = await who.lead()
    booked = await bookings.book_appointment(ceo, lead_id=lead.id, service_id=spa.facial.id,
                                             starts_at=at(THU, hhmm),
                                             technician_id=spa.techs[0].id)  # fmt: skip
    hour, minute = (int(x) for x in hhmm.split(":"))
    clock.freeze(datetime(2026, 11, 25, hour, minute + 1))
    await send_appointment_reminders()

    async def reminder() -> str | None:
        return next((t for t in who.texts() if "nhắc lịch" in t), None)

    text = await eventually(reminder)
    assert "1 — xác nhận" in text and "2 — đổi giờ" in text and "3 — hủy lịch" in text, text
    return who, booked.appointment


async def test_one_confirms(world: World, spa: Spa, personas: dict[str, Actor]) -> None:
    who, appt = await _reminded(world, spa, personas["ceo"], "15:30")
    answer = await who.say("1")
    assert "đã xác nhận lịch" in answer, answer
    assert (await Appointment.get(id=appt.id)).status == "confirmed"
    again = await who.say("1")  # the reminder was answered: a second "1" is no answer to it
    assert "đã xác nhận lịch" not in again


async def test_two_moves_three_cancels(world: World, spa: Spa, personas: dict[str, Actor]) -> None:
    who, appt = await _reminded(world, spa, personas["ceo"], "14:00")
    offer = await who.say("2")
    assert "muốn đổi lịch" in offer and "giờ trống" in offer, offer
    moved = await who.say("1")  # the first time offered (the numbered list of the offer)
    assert "đã dời lịch" in moved, moved
    assert (await Appointment.get(id=appt.id)).starts_at != appt.starts_at

    clock.freeze(NOW)
    other, appt2 = await _reminded(world, spa, personas["ceo"], "17:00")
    ask = await other.say("3")
    assert "muốn hủy lịch" in ask, ask
    assert (await Appointment.get(id=appt2.id)).status == "booked"  # asked first
    done = await other.say("1")  # "1. Đúng, hủy lịch"
    assert "đã hủy lịch" in done, done
    assert (await Appointment.get(id=appt2.id)).status == "cancelled"


async def test_a_one_that_answers_something_else(
    world: World, spa: Spa, personas: dict[str, Actor]
) -> None:
    # Booked but never reminded: "1" is no answer to anything.
    who = Customer(world, "Khách số")
    await who.say(f"sđt em {new_phone()}")
    lead = await who.lead()
    booked = await bookings.book_appointment(personas["ceo"], lead_id=lead.id,
                                             service_id=spa.facial.id, starts_at=at(THU, "11:00"),
                                             technician_id=spa.techs[1].id)  # fmt: skip
    await who.say("1")
    assert (await Appointment.get(id=booked.appointment.id)).status == "booked"

    # Reminded, then the bot said something else: her "1" is not read as "confirm".
    clock.freeze(NOW)
    other, appt = await _reminded(world, spa, personas["ceo"], "16:00")
    await other.say("chào shop")
    await other.say("1")
    assert (await Appointment.get(id=appt.id)).status == "booked"
