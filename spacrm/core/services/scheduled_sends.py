"""Scheduled sends (#9, #10, issue 7): the morning summary, the day digest, the weekly KPI image
and the Q&A digest each go to a user once a day (or a week). A unique (kind, user, day)
ReportSend row is the claim, written in the same transaction as the queued message: a crash
between the two leaves neither (the next tick sends it), and of two schedulers only one sends.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, Protocol

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from spacrm.core import clock
from spacrm.core.models import ReportSend
from spacrm.core.services import outbox


class ScheduledSend(Protocol):
    """What a scheduled send names: its user, its day (the Monday of a weekly one) and the staff
    chat it goes to."""

    @property
    def user_id(self) -> int: ...
    @property
    def day(self) -> date: ...
    @property
    def channel(self) -> str: ...
    @property
    def chat_id(self) -> str: ...


def time_reached(at: str, now: datetime) -> bool:
    """The setting's local time of day ("HH:MM"; empty: never sent) has come by `now`."""
    if not at:
        return False
    hour, minute = (int(x) for x in at.split(":"))
    return clock.local(now).time() >= time(hour, minute)


async def claimed_users(kind: str, day: date) -> set[int]:
    """The users whose send of this kind is claimed for that day (skipped before any work)."""
    rows: list[Any] = await ReportSend.filter(kind=kind, day=day).values_list("user_id", flat=True)
    return {int(r) for r in rows}


async def claim_and_queue(kind: str, send: ScheduledSend, payload: dict[str, Any] | None) -> bool:
    """Claim the send and queue its message (None: claimed with nothing to say) in one
    transaction; False when another scheduler (or an earlier tick) has it already. Any other
    failure propagates and leaves no claim."""
    try:
        async with in_transaction():
            await ReportSend.create(kind=kind, user_id=send.user_id, day=send.day)
            if payload is not None:
                await outbox.enqueue(send.channel, send.chat_id, payload)
    except IntegrityError:
        return False
    return True
