"""Reminders of planned activities: claimed once (across processes), routed to where the owner
is: an open `spacrm chat` terminal first, otherwise every linked chat channel."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from spacrm.core import clock
from spacrm.core.models import Activity, ChannelIdentity, ChatPresence

PRESENCE_SECONDS = 30  # a terminal that has not said "still open" for this long is closed


@dataclass
class DueReminder:
    activity: Activity
    lead_name: str
    lead_phone: str | None
    routes: list[tuple[str, str]] = field(default_factory=list)  # (channel, chat id)


async def mark_open(user_id: int, chat_id: str) -> None:
    """The terminal chat `chat_id` of this user is open (called every few seconds)."""
    updated = await ChatPresence.filter(chat_id=chat_id).update(
        user_id=user_id, seen_at=clock.now()
    )
    if not updated:
        await ChatPresence.get_or_create(
            chat_id=chat_id, defaults={"user_id": user_id, "seen_at": clock.now()}
        )


async def mark_closed(chat_id: str) -> None:
    await ChatPresence.filter(chat_id=chat_id).delete()


async def open_terminals(user_id: int) -> list[str]:
    fresh = clock.now() - timedelta(seconds=PRESENCE_SECONDS)
    rows = await ChatPresence.filter(user_id=user_id, seen_at__gte=fresh).order_by("id")
    return [row.chat_id for row in rows]


async def claim_due(limit: int = 100) -> list[DueReminder]:
    """Planned activities whose time has come (also while nothing ran: sent once at start),
    each marked reminded by exactly one caller, with where to send it."""
    due = (
        await Activity.filter(status="planned", reminded=False, due_at__lte=clock.now())
        .order_by("due_at")
        .limit(limit)
        .prefetch_related("lead")
    )
    out: list[DueReminder] = []
    for act in due:
        if not await Activity.filter(id=act.id, reminded=False).update(reminded=True):
            continue  # another process took it
        lead = act.lead
        rem = DueReminder(act, lead.name if lead else "", lead.phone if lead else None)
        terminals = await open_terminals(act.owner_id)
        if terminals:
            rem.routes = [("terminal", chat) for chat in terminals]
        else:
            identities = await ChannelIdentity.filter(user_id=act.owner_id)
            rem.routes = [(i.channel, i.chat_id) for i in identities]
        out.append(rem)
    return out
