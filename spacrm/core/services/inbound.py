"""Inbound idempotency: a repeated delivery of the same provider event is handled once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.functions import Min
from tortoise.transactions import in_transaction

from spacrm.core import clock
from spacrm.core.models import InboundUpdate, ProcessedEvent


async def first_time(source: str, event_id: str) -> bool:
    """True the first time (source, event_id) is seen; the unique index settles races."""
    try:
        # Its own (nested) transaction: on PostgreSQL a failed insert must not poison the caller's.
        async with in_transaction():
            await ProcessedEvent.create(source=source, event_id=event_id[:120])
    except IntegrityError:
        return False
    return True


# --- Stored updates (issue 13 §5): nothing acknowledged to a provider is lost on a restart ---

LEASE_SECONDS = 30.0  # longer than handling one message takes (the LLM gives up after 8 s)
MAX_TRIES = 5  # an update whose handling keeps crashing is set aside, not retried for ever


async def store(source: str, updates: list[tuple[str, str, dict[str, Any]]]) -> int:
    """Store (key, chat_key, payload) updates in one transaction; repeats are skipped.
    Returns how many were new. Call before acknowledging them to the provider."""
    now = clock.now()
    new = 0
    async with in_transaction():
        for key, chat_key, payload in updates:
            try:
                async with in_transaction():  # a savepoint: a repeat must not abort the batch
                    await InboundUpdate.create(
                        source=source, key=key[:120], chat_key=chat_key[:80], payload=payload,
                        next_attempt_at=now,
                    )  # fmt: skip
                new += 1
            except IntegrityError:
                continue
    return new


async def store_once(source: str, updates: list[tuple[str, str, dict[str, Any]]]) -> int:
    """Like `store`, for webhooks whose provider may deliver an event again after it was handled
    (and its stored row deleted): the event id is also remembered (`first_time`), in the same
    transaction, so a retry at any time is skipped. Returns how many were new; acknowledge
    the delivery (200) only after this returned."""
    now = clock.now()
    new = 0
    async with in_transaction():
        for key, chat_key, payload in updates:
            if not await first_time(source, key):
                continue
            await InboundUpdate.create(
                source=source, key=key[:120], chat_key=chat_key[:80], payload=payload,
                next_attempt_at=now,
            )  # fmt: skip
            new += 1
    return new


async def claim(
    source: str, limit: int, *, skip_chats: frozenset[str] = frozenset()
) -> list[InboundUpdate]:
    """The oldest stored update of each chat that is not being handled, leased to the caller:
    one chat's messages are handled one at a time and in order, different chats in parallel,
    and on PostgreSQL several processes never take the same row (SKIP LOCKED)."""
    now = clock.now()
    heads = await (
        InboundUpdate.filter(source=source, status="new")
        .annotate(head=Min("id"))
        .group_by("chat_key")
        .values_list("head", flat=True)
    )
    if not heads:
        return []
    taken: list[InboundUpdate] = []
    async with in_transaction():
        rows = await (
            InboundUpdate.filter(id__in=list(heads), next_attempt_at__lte=now)
            .order_by("id")
            .limit(limit + len(skip_chats))
            .select_for_update(skip_locked=True)
        )
        until = now + timedelta(seconds=LEASE_SECONDS)
        for row in rows:
            if len(taken) >= limit or row.chat_key in skip_chats:
                continue
            got = await InboundUpdate.filter(
                id=row.id, status="new", next_attempt_at__lte=now
            ).update(next_attempt_at=until, attempts=row.attempts + 1)
            if got:
                row.attempts += 1
                taken.append(row)
    return taken


async def done(row: InboundUpdate) -> None:
    await InboundUpdate.filter(id=row.id).delete()


async def failed(row: InboundUpdate, error: str) -> None:
    """Handling crashed: try again a little later; after MAX_TRIES set it aside (kept, visible)."""
    status = "failed" if row.attempts >= MAX_TRIES else "new"
    await InboundUpdate.filter(id=row.id).update(
        status=status,
        last_error=error[:500],
        next_attempt_at=clock.now() + timedelta(seconds=2 * row.attempts),
    )


async def waiting(source: str) -> int:
    return await InboundUpdate.filter(source=source, status="new").count()
