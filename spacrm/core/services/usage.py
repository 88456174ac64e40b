"""CRM usage (#33): the log written by the engine (every staff chat turn) and the console (every
action), and the per-user report read from it.

The write is one INSERT per turn; a failure to log is written to the server log and never costs
the user their reply.
"""

from __future__ import annotations

import logging
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime

from tortoise.functions import Count, Max, Sum
from tortoise.transactions import in_transaction

from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.changes import Changes
from spacrm.core.models import UsageChange, UsageEvent, User
from spacrm.core.services.kpi import users_in_scope
from spacrm.core.services.reports import Period

log = logging.getLogger(__name__)


async def record(
    user_id: int,
    *,
    source: str,
    channel: str,
    action: str,
    record_kind: str | None = None,
    record_id: int | None = None,
    changed: bool = False,
    changes: Changes | None = None,
) -> None:
    """One usage row; with `changes` (what the turn's saves noted, core/changes.py) also one row
    per record kind it created or changed, and the turn counts as a change."""
    counts = changes.counts() if changes else {}
    if changes and changes.first is not None and record_kind is None:
        record_kind, record_id = changes.first
    try:
        now = clock.now()
        # The row and its counts, or neither; a turn that changed nothing stays one INSERT.
        async with in_transaction() if counts else nullcontext():
            await _write(user_id, now, source, channel, action, record_kind, record_id,
                         changed or bool(counts), counts)  # fmt: skip
    except Exception:  # the log is a by-product: the user's turn already happened
        log.exception("usage log write failed user=%s action=%s", user_id, action)


async def _write(user_id: int, now: datetime, source: str, channel: str, action: str,
                 record_kind: str | None, record_id: int | None, changed: bool,
                 counts: dict[str, tuple[int, int]]) -> None:  # fmt: skip
    event = await UsageEvent.create(
        user_id=user_id, at=now, source=source, channel=channel[:20], action=action[:40],
        record_kind=record_kind[:20] if record_kind else None, record_id=record_id,
        changed=changed,
    )  # fmt: skip
    if counts:
        await UsageChange.bulk_create([
            UsageChange(event_id=event.id, user_id=user_id, at=now, kind=kind[:40],
                        created=made, changed=edited)
            for kind, (made, edited) in counts.items()
        ])  # fmt: skip


@dataclass(slots=True)
class UsageLine:
    """One user's use of the CRM over a period."""

    user_id: int
    name: str
    chat: int = 0  # staff chat turns
    console: int = 0  # console actions
    changes: int = 0  # turns or actions that created or changed a record
    created: Counter[str] = field(default_factory=Counter)  # records created, per kind
    updated: Counter[str] = field(default_factory=Counter)  # existing records changed, per kind
    channels: Counter[str] = field(default_factory=Counter)
    actions: Counter[str] = field(default_factory=Counter)
    last_at: datetime | None = None

    @property
    def total(self) -> int:
        return self.chat + self.console

    def top(self, n: int = 3) -> list[tuple[str, int]]:
        return self.actions.most_common(n)


async def usage_report(
    actor: Actor, period: Period, *, user_ids: list[int] | None = None
) -> list[UsageLine]:
    """Every active user in the actor's scope (the ones who never used the CRM too: that is what
    a manager wants to see), or those of `user_ids` among them, busiest first. Counted in SQL,
    one row per (user, source, channel, action, changed)."""
    people_q = User.filter(users_in_scope(actor), active=True)
    if user_ids is not None:
        people_q = people_q.filter(id__in=user_ids)
    people = await people_q.order_by("full_name").values_list("id", "full_name")
    lines = {int(i): UsageLine(int(i), str(n)) for i, n in people}
    rows = await (
        UsageEvent.filter(user_id__in=list(lines) or [-1], at__gte=period.start, at__lt=period.end)
        .annotate(n=Count("id"), last=Max("at"))
        .group_by("user_id", "source", "channel", "action", "changed")
        .values_list("user_id", "source", "channel", "action", "changed", "n", "last")
    )
    for user_id, source, channel, action, changed, n, last in rows:
        line = lines[int(user_id)]
        n = int(n)
        if source == "console":
            line.console += n
        else:
            line.chat += n
        if changed:
            line.changes += n
        line.channels[str(channel)] += n
        line.actions[str(action)] += n
        if isinstance(last, str):  # SQLite hands MAX() back as text
            last = datetime.fromisoformat(last)
        if isinstance(last, datetime) and (line.last_at is None or last > line.last_at):
            line.last_at = last
    for user_id, kind, made, edited in await (
        UsageChange.filter(user_id__in=list(lines) or [-1], at__gte=period.start, at__lt=period.end)
        .annotate(c=Sum("created"), u=Sum("changed"))
        .group_by("user_id", "kind")
        .values_list("user_id", "kind", "c", "u")
    ):
        line = lines[int(user_id)]
        if made:
            line.created[str(kind)] += int(made)
        if edited:
            line.updated[str(kind)] += int(edited)
    return sorted(lines.values(), key=lambda ln: (-ln.total, -ln.changes, ln.name))
