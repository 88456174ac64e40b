"""Appointment reminders → chat messages to the technician and the front desk (through the
outbox), with the buttons the front desk needs at the door."""

from __future__ import annotations

from spacrm.core.services import outbox, users
from spacrm.core.services.booking_reminders import claim_due_appointment_reminders
from spacrm.intents import format as fmt
from spacrm.intents.texts import t


async def send_appointment_reminders() -> int:
    count = 0
    for due in await claim_due_appointment_reminders():
        appt = due.appointment
        for who in due.recipients:
            lang = await users.language_of(who.user_id)
            text = t(lang, "remind.appt", when=fmt.when(appt.starts_at, lang),
                     name=appt.customer_name, phone=fmt.phone(appt.customer_phone),
                     service=appt.service_name, tech=due.technician_name, room=due.room_name)  # fmt: skip
            buttons: list[list[list[str]]] = []
            if who.front_desk:
                text += "\n" + t(lang, "remind.call_customer")
                buttons = [[[t(lang, "btn.check_in"), f"ai:{appt.id}"],
                            [t(lang, "btn.cancel_appt"), f"ax:{appt.id}"]]]  # fmt: skip
            await outbox.enqueue(who.channel, who.chat_id, {"text": text, "buttons": buttons})
            count += 1
    return count
