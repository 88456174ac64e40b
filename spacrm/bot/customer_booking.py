"""Appointments in the customer chatbot (#9): the customer's answer to her reminder confirms the
appointment (booked → confirmed) and the branch's front desk is told.

Only a short affirmative message in a conversation linked to her lead, while she has a reminded
appointment that is still only booked, counts; anything else goes on to the Q&A as before.
"""

from __future__ import annotations

import re

from spacrm.core.errors import DomainError
from spacrm.core.models import Conversation
from spacrm.core.services import outbox
from spacrm.core.services.booking_reminders import front_desk_routes, reminded_appointment
from spacrm.core.services.sessions import confirm_appointment
from spacrm.core.textnorm import fold
from spacrm.intents import format as fmt
from spacrm.intents.chat import Reply
from spacrm.intents.customer.booking_texts import BOOKING
from spacrm.intents.customer.texts import CHANNEL_NAMES

_YES = re.compile(
    r"\b(?:xac nhan|ok|oke|okay|okie|dong y|duoc|vang|da vang|u|uh|co|chac chan|confirm|yes)\b"
    r"|\b(?:se|van) (?:toi|den|qua|di)\b"
)
_NO = re.compile(r"\b(?:khong|ko|k|hok|chua|huy|doi|dich|lui|bao)\b|\?")
MAX_WORDS = 10


def is_yes(text: str) -> bool:
    """A short "yes" ("ok em", "dạ xác nhận ạ", "✅ Xác nhận", "chị sẽ tới"), never a question,
    a "no" or a change."""
    folded = fold(text)
    if len(folded.split()) > MAX_WORDS or _NO.search(folded):
        return False
    return bool(_YES.search(folded))


async def reminder_reply(conv: Conversation, text: str) -> list[Reply] | None:
    if conv.lead_id is None or not is_yes(text):
        return None
    appt = await reminded_appointment(conv.lead_id)
    if appt is None:
        return None
    try:
        appt = await confirm_appointment(None, appointment_id=appt.id)
    except DomainError:
        return None  # changed meanwhile (cancelled, checked in): the Q&A answers as usual
    when = fmt.when(appt.starts_at)
    note = BOOKING["desk_confirmed"].format(
        name=appt.customer_name, when=when, service=appt.service_name,
        channel=CHANNEL_NAMES.get(conv.channel, conv.channel),
    )  # fmt: skip
    for channel, chat in await front_desk_routes(appt.site_branch_id):
        payload: dict[str, object] = {"text": note, "buttons": []}
        if channel == "zalo":
            payload["audience"] = "staff"
        await outbox.enqueue(channel, chat, payload)
    return [Reply(BOOKING["confirmed"].format(when=when, service=appt.service_name))]
