"""Activities (#22): log a call/meeting/email/quote email with its result, plan the next one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import Activity, ChannelIdentity, Lead
from spacrm.core.permissions import Ownership, get_visible
from spacrm.core.stages import ACTIVITY_KINDS, COUNTER_FIELD
from spacrm.core.textnorm import nfc

MAX_NOTE = 2000


def _check_kind(kind: str) -> None:
    if kind not in ACTIVITY_KINDS:
        raise DomainError(ErrorCode.INVALID_VALUE, field="kind", value=kind)


def _clean(note: str | None) -> str | None:
    return nfc(note)[:MAX_NOTE] if note else None


@dataclass(frozen=True, slots=True)
class Logged:
    activity: Activity
    planned: Activity | None


async def log_activity(
    actor: Actor,
    *,
    lead_id: int,
    kind: str,
    note: str | None = None,
    result: str | None = None,
    next_at: datetime | None = None,
    next_kind: str | None = None,
) -> Logged:
    """Record a done activity; with `next_at`, plan the follow-up in the same transaction."""
    _check_kind(kind)
    if next_kind:
        _check_kind(next_kind)
    async with in_transaction():
        lead = await get_visible(Lead, actor, lead_id)
        # The actor did it, but the record stays in the lead's owner scope so the owner sees it.
        activity = await Activity.create(
            kind=kind, status="done", note=_clean(note), result=_clean(result),
            done_at=clock.now(), lead=lead, **Ownership.of(lead).columns(),
        )  # fmt: skip
        counter = COUNTER_FIELD[kind]
        await Lead.filter(id=lead.id).update(
            **{counter: F(counter) + 1, "version": F("version") + 1}
        )
        planned = None
        if next_at is not None:
            planned = await Activity.create(
                kind=next_kind or kind, status="planned", note=_clean(note), due_at=next_at,
                lead=lead, **Ownership.of(lead).columns(),
            )  # fmt: skip
    return Logged(activity, planned)


async def plan_activity(
    actor: Actor, *, lead_id: int, kind: str, due_at: datetime, note: str | None = None
) -> Activity:
    _check_kind(kind)
    async with in_transaction():
        lead = await get_visible(Lead, actor, lead_id)
        return await Activity.create(
            kind=kind, status="planned", note=_clean(note), due_at=due_at, lead=lead,
            **Ownership.of(lead).columns(),
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Reminder:
    activity: Activity
    lead_name: str
    lead_phone: str | None
    channel: str
    chat_id: str


async def claim_due_reminders(limit: int = 100) -> list[Reminder]:
    """Planned activities whose time has come, marked reminded (each reminder is sent once)."""
    due = (
        await Activity.filter(status="planned", reminded=False, due_at__lte=clock.now())
        .limit(limit)
        .prefetch_related("lead")
    )
    out: list[Reminder] = []
    for act in due:
        claimed = await Activity.filter(id=act.id, reminded=False).update(reminded=True)
        if not claimed:
            continue  # another process took it
        identities = await ChannelIdentity.filter(user_id=act.owner_id)
        lead = act.lead
        for ident in identities:
            out.append(
                Reminder(act, lead.name if lead else "", lead.phone if lead else None,
                         ident.channel, ident.chat_id)
            )  # fmt: skip
    return out


async def cancel_planned(actor: Actor, *, activity_id: int) -> Activity:
    """Undo a plan: the activity stays in history as cancelled."""
    act = await get_visible(Activity, actor, activity_id)
    if act.status != "planned":
        raise DomainError(ErrorCode.STALE)
    act.status = "cancelled"
    await act.save(update_fields=["status"])
    return act
