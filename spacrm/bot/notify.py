"""Domain events → messages to staff. For now: reminders of planned activities, at their time."""

from __future__ import annotations

from spacrm.core.services import outbox, users
from spacrm.core.services.activities import claim_due_reminders
from spacrm.intents import format as fmt
from spacrm.intents.texts import t


async def send_due_reminders() -> int:
    """Queue one chat message per due reminder (each planned activity is reminded once)."""
    count = 0
    for rem in await claim_due_reminders():
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
        await outbox.enqueue(rem.channel, rem.chat_id, {"text": text, "buttons": buttons})
        count += 1
    return count
