"""Appointment reminders → chat messages to the technician and the front desk (through the
outbox), with the buttons the front desk needs at the door, and to the customer on her Zalo OA /
Messenger conversation (or a ZNS template) when she can be reached there."""

from __future__ import annotations

from spacrm.bot.customer_booking import conversation_language, remember_numbered_reminder
from spacrm.core.models import Conversation
from spacrm.core.services import conversations, outbox, users
from spacrm.core.services.booking_reminders import DueReminder, claim_due_appointment_reminders
from spacrm.core.settings import get_settings
from spacrm.intents import format as fmt
from spacrm.intents.customer import lang
from spacrm.intents.customer.booking_texts import BOOKING
from spacrm.intents.customer.texts import CHANNEL_NAMES
from spacrm.intents.texts import t


async def send_appointment_reminders() -> int:
    count = 0
    for due in await claim_due_appointment_reminders():
        appt = due.appointment
        reached = await _remind_customer(due)
        for who in due.recipients:
            lang = await users.language_of(who.user_id)
            text = t(lang, "remind.appt", when=fmt.when(appt.starts_at, lang),
                     name=appt.customer_name, phone=fmt.phone(appt.customer_phone),
                     service=appt.service_name, tech=due.technician_name, room=due.room_name)  # fmt: skip
            buttons: list[list[list[str]]] = []
            if who.front_desk:
                text += "\n" + (reached or t(lang, "remind.call_customer"))
                buttons = [[[t(lang, "btn.check_in"), f"ai:{appt.id}"],
                            [t(lang, "btn.cancel_appt"), f"ax:{appt.id}"]]]  # fmt: skip
            await outbox.enqueue(who.channel, who.chat_id, {"text": text, "buttons": buttons})
            count += 1
    return count


async def _remind_customer(due: DueReminder) -> str | None:
    """Queue the customer's reminder; what the front desk is told about it (None: call her)."""
    route, appt = due.customer, due.appointment
    if route is None:
        return None
    when = fmt.when(appt.starts_at)
    if route.kind == "zns":
        data = {"customer_name": appt.customer_name, "service": appt.service_name,
                "time": when, "branch": due.branch_name}  # fmt: skip
        payload: dict[str, object] = {
            "zns": {"phone": route.chat_id, "template_id": get_settings().zns_reminder_template,
                    "template_data": data},
        }  # fmt: skip
        await outbox.enqueue("zalo", route.chat_id, payload, account_ref=route.account_ref)
        return BOOKING["desk_reached"].format(channel="ZNS")
    # Zalo OA text has no buttons in our adapter: numbered answers, read back by the booking flow.
    numbered = route.channel == "zalo"
    key = "remind_numbers" if numbered else "remind"
    conv = await Conversation.get_or_none(id=route.conversation_id)
    # In the language she writes in (an English customer is reminded in English).
    token = lang.CURRENT.set(await conversation_language(conv.id) if conv else "vi")
    try:
        when = fmt.when(appt.starts_at, lang.CURRENT.get())
        text = lang.booking(key).format(when=when, service=appt.service_name,
                                        branch=due.branch_name)  # fmt: skip
        confirm = lang.booking("btn_confirm")
    finally:
        lang.CURRENT.reset(token)
    buttons = [[[confirm, f"cf:{appt.id}"]]] if route.channel == "facebook" else []
    if conv is not None:  # staff reading the conversation see what the customer was sent
        said = await conversations.record(conv, "bot", text)
        if numbered:
            await remember_numbered_reminder(conv, appt.id, said.id)
    await outbox.enqueue(route.channel, route.chat_id, {"text": text, "buttons": buttons},
                         account_ref=route.account_ref)  # fmt: skip
    return BOOKING["desk_reached"].format(channel=CHANNEL_NAMES.get(route.channel, route.channel))
