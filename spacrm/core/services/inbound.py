"""Inbound idempotency: a repeated delivery of the same provider event is handled once."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from spacrm.core.models import ProcessedEvent


async def first_time(source: str, event_id: str) -> bool:
    """True the first time (source, event_id) is seen; the unique index settles races."""
    try:
        # Its own (nested) transaction: on PostgreSQL a failed insert must not poison the caller's.
        async with in_transaction():
            await ProcessedEvent.create(source=source, event_id=event_id[:120])
    except IntegrityError:
        return False
    return True
