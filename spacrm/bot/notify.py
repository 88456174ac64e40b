"""Domain events → messages to staff. For now: reminders of planned activities, at their time."""

from __future__ import annotations

from spacrm.core.services import outbox, users
from spacrm.core.services.reminders import claim_due
from spacrm.intents import format as fmt
from spacrm.intents.texts import t


async def send_due_reminders() -> int:
    """Queue one chat message per due reminder (each planned activity is reminded once)."""
    count = 0
    for rem in await claim_due():
        lang = await users.language_of(rem.activity.owner_id)
        due = rem.activity.due_at
        text = t(
            lang,
            "link.reminder",
            kind=fmt.kind(rem.activity.kind, lang),
            name=rem.lead_name,
            phone=f" ({fmt.phone(rem.lead_phone)})" if rem.lead_phone else "",
            when=fmt.when(due, lang) if due else "",
        )
        lead_id = rem.activity.lead_id
        buttons = (
            [[[t(lang, "btn.card"), f"lc:{lead_id}"], [t(lang, "btn.log"), f"lg:{lead_id}"]]]
            if lead_id
            else []
        )
        for channel, chat_id in rem.routes:  # a terminal that is open, else the linked chats
            payload = {"text": text, "buttons": buttons}
            if channel == "zalo":
                payload["audience"] = "staff"
            await outbox.enqueue(channel, chat_id, payload)
            count += 1
    return count
