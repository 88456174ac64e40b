"""Activities (#22): log a call/meeting/email/quote email with its result, plan the next one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as date_cls
from datetime import datetime, time, timedelta

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import Activity, ChannelIdentity, Lead
from spacrm.core.permissions import Ownership, get_visible, scoped
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


NOTE = "note"  # a free note on the lead: shown in its history, counted nowhere


async def add_note(actor: Actor, *, lead_id: int, note: str) -> Activity:
    text = _clean(note.strip() if note else None)
    if not text:
        raise DomainError(ErrorCode.INVALID_VALUE, field="note", value="")
    async with in_transaction():
        lead = await get_visible(Lead, actor, lead_id)
        return await Activity.create(
            kind=NOTE, status="done", note=text, done_at=clock.now(), lead=lead,
            **Ownership.of(lead).columns(),
        )  # fmt: skip


async def undo_done(actor: Actor, *, activity_id: int, planned_id: int | None = None) -> Activity:
    """Take back a logged activity or note (and the follow-up planned with it): it stays in the
    database as cancelled and the lead's counter goes back down."""
    async with in_transaction():
        act = await get_visible(Activity, actor, activity_id)
        if act.status != "done":
            raise DomainError(ErrorCode.STALE)
        act.status = "cancelled"
        await act.save(update_fields=["status"])
        counter = COUNTER_FIELD.get(act.kind)
        if counter and act.lead_id:
            await Lead.filter(id=act.lead_id).update(
                **{counter: F(counter) - 1, "version": F("version") + 1}
            )
        if planned_id:
            await Activity.filter(id=planned_id, status="planned", lead_id=act.lead_id).update(
                status="cancelled"
            )
    return act


@dataclass(frozen=True, slots=True)
class Task:
    activity: Activity
    lead_name: str
    overdue: bool


async def list_tasks(
    actor: Actor, *, day: date_cls | None = None, kinds: tuple[str, ...] = (), limit: int = 20
) -> list[Task]:
    """Planned calls/meetings/emails due by the end of `day` (default today) in the actor's
    scope, overdue ones included (a plan whose time passed stays until done or moved)."""
    day = day or clock.today()
    end = clock.at_local(day + timedelta(days=1), time(0, 0))
    qs = scoped(Activity, actor).filter(status="planned", due_at__lt=end, lead_id__not_isnull=True)
    if kinds:
        qs = qs.filter(kind__in=list(kinds))
    rows = await qs.order_by("due_at", "id").limit(limit).prefetch_related("lead")
    now = clock.now()
    return [Task(a, a.lead.name if a.lead else "", bool(a.due_at and a.due_at < now)) for a in rows]


async def complete_planned(actor: Actor, *, activity_id: int) -> Activity:
    """A planned call/meeting was done: it joins the history and the lead's counter."""
    async with in_transaction():
        act = await get_visible(Activity, actor, activity_id)
        if act.status != "planned":
            raise DomainError(ErrorCode.STALE)
        act.status, act.done_at = "done", clock.now()
        await act.save(update_fields=["status", "done_at"])
        counter = COUNTER_FIELD.get(act.kind)
        if counter and act.lead_id:
            await Lead.filter(id=act.lead_id).update(
                **{counter: F(counter) + 1, "version": F("version") + 1}
            )
    return act


async def reopen_planned(actor: Actor, *, activity_id: int) -> Activity:
    """Undo of complete_planned: planned again, the counter back down."""
    async with in_transaction():
        act = await get_visible(Activity, actor, activity_id)
        if act.status != "done" or act.due_at is None:
            raise DomainError(ErrorCode.STALE)
        act.status, act.done_at = "planned", None
        await act.save(update_fields=["status", "done_at"])
        counter = COUNTER_FIELD.get(act.kind)
        if counter and act.lead_id:
            await Lead.filter(id=act.lead_id).update(
                **{counter: F(counter) - 1, "version": F("version") + 1}
            )
    return act


async def reschedule_planned(actor: Actor, *, activity_id: int, due_at: datetime) -> datetime:
    """Move a plan to another time; its reminder will be sent (again) then. Returns the old time."""
    act = await get_visible(Activity, actor, activity_id)
    if act.status != "planned" or act.due_at is None:
        raise DomainError(ErrorCode.STALE)
    old = act.due_at
    await Activity.filter(id=act.id, status="planned").update(due_at=due_at, reminded=False)
    return old


async def move_planned_to_day(
    actor: Actor, *, activity_id: int, day: date_cls
) -> tuple[datetime, datetime]:
    """Move a plan to `day` at the same local time; returns (old, new) due times."""
    act = await get_visible(Activity, actor, activity_id)
    if act.status != "planned" or act.due_at is None:
        raise DomainError(ErrorCode.STALE)
    old = act.due_at
    new = clock.at_local(day, clock.local(old).time())
    await Activity.filter(id=act.id, status="planned").update(due_at=new, reminded=False)
    return old, new
