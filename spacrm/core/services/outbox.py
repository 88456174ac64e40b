"""The outbox (DESIGN §4): every outbound message is a row first, sent after commit, retried."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from tortoise.expressions import Q
from tortoise.functions import Min
from tortoise.transactions import in_transaction

from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import OutboxMessage, SentMessageRef
from spacrm.core.permissions import can_manage_users

IN_FLIGHT_LOOKBACK = 20
LEASE_SECONDS = 90.0  # longer than a send can take (aiogram gives up after 60 s)


async def enqueue(
    channel: str,
    chat_id: str,
    payload: dict[str, Any],
    *,
    account_ref: str | None = None,
    thread_ref: str | None = None,
) -> OutboxMessage:
    """Call inside the transaction of the change that caused the message."""
    return await OutboxMessage.create(
        channel=channel,
        chat_id=chat_id,
        payload=payload,
        account_ref=account_ref,
        thread_ref=thread_ref,
        next_attempt_at=clock.now(),
    )


async def due(limit: int = 50, channels: tuple[str, ...] | None = None) -> list[OutboxMessage]:
    """Rows whose time has come, oldest first (for tools and tests; the dispatcher uses claim)."""
    qs = OutboxMessage.filter(status="pending", next_attempt_at__lte=clock.now())
    if channels:
        qs = qs.filter(channel__in=list(channels))
    return await qs.order_by("id").limit(limit)


async def claim(
    limit: int,
    *,
    channels: tuple[str, ...],
    lease_seconds: float = LEASE_SECONDS,
    skip_chats: frozenset[tuple[str, str]] = frozenset(),
) -> list[OutboxMessage]:
    """Take the first pending row of each chat whose time has come, for `lease_seconds`.

    Only the head of a chat's queue is ever taken, so messages to one chat leave in order and a
    second row of a chat waits while the first is paused or in flight. The lease is the row's
    `next_attempt_at`: a process that dies mid-send leaves the row pending, and it is sent again
    once the lease runs out (at most that one message per chat is sent twice). On PostgreSQL the
    rows are locked with SKIP LOCKED, so several processes never take the same row; the
    conditional update makes that hold on SQLite too."""
    now = clock.now()
    heads = await (
        OutboxMessage.filter(status="pending", channel__in=list(channels))
        .annotate(head=Min("id"))
        .group_by("channel", "chat_id")
        .values_list("head", flat=True)
    )
    if not heads:
        return []
    async with in_transaction():
        rows = await (
            OutboxMessage.filter(id__in=list(heads), next_attempt_at__lte=now)
            .order_by("id")
            .limit(limit + len(skip_chats))
            .select_for_update(skip_locked=True)
        )
        until = now + timedelta(seconds=lease_seconds)
        taken: list[OutboxMessage] = []
        for row in rows:
            if len(taken) >= limit or (row.channel, row.chat_id) in skip_chats:
                continue
            got = await OutboxMessage.filter(
                id=row.id, status="pending", next_attempt_at__lte=now
            ).update(next_attempt_at=until)
            if got:
                row.next_attempt_at = until
                taken.append(row)
    return taken


async def take_for_chat(channel: str, chat_id: str) -> list[OutboxMessage]:
    """Every pending row of one chat, marked sent, in order: for a channel that prints in the
    process that owns the chat (the terminal)."""
    async with in_transaction():
        rows = await (
            OutboxMessage.filter(channel=channel, chat_id=chat_id, status="pending")
            .order_by("id")
            .select_for_update(skip_locked=True)
        )
        now = clock.now()
        for row in rows:
            await OutboxMessage.filter(id=row.id, status="pending").update(
                status="sent", sent_at=now, attempts=row.attempts + 1
            )
    return rows


async def release(msg: OutboxMessage) -> None:
    """Give back a claimed row that will not be sent now (due again at once)."""
    await OutboxMessage.filter(id=msg.id, status="pending").update(next_attempt_at=clock.now())


async def next_due_in(channels: tuple[str, ...]) -> float | None:
    """Seconds until the earliest pending row is due (None: nothing pending)."""
    row = (
        await OutboxMessage.filter(status="pending", channel__in=list(channels))
        .order_by("next_attempt_at")
        .first()
    )
    if row is None:
        return None
    return max(0.0, (row.next_attempt_at - clock.now()).total_seconds())


async def mark_sent(msg: OutboxMessage, provider_message_id: str | None = None) -> None:
    """The provider took the message; a threaded one is remembered by the provider's id in the
    same transaction, so a reply to it is routed whichever way the race with the reply goes."""
    msg.status = "sent"
    msg.sent_at = clock.now()
    msg.attempts += 1
    msg.provider_message_id = provider_message_id
    async with in_transaction():
        await msg.save(update_fields=["status", "sent_at", "attempts", "provider_message_id"])
        if msg.thread_ref and provider_message_id:
            await remember_thread(msg.channel, msg.chat_id, provider_message_id, msg.thread_ref)


async def note_progress(msg: OutboxMessage, sent_parts: int) -> None:
    """A message that goes out in parts (a long text): how many parts the provider already has,
    stored at once, so a retry (after a 429, an error or a restart) continues from there instead
    of sending them again."""
    msg.payload = {**msg.payload, "sent_parts": sent_parts}
    await OutboxMessage.filter(id=msg.id).update(payload=msg.payload)


def backoff(attempts: int) -> float:
    """Seconds before the next try after a temporary error: 2, 4, 8 ... capped at one minute, so
    the queue drains within a minute of a provider coming back after an outage of any length."""
    return float(min(60, 2 ** max(1, min(attempts, 10))))


async def mark_retry(
    msg: OutboxMessage, error: str, *, after: float | None, max_attempts: int | None = None
) -> None:
    """Try again later. `after` (the provider's retry_after) is a pause, not a failed attempt:
    it does not count. A temporary error counts towards the backoff but never fails the row;
    only an unknown error (`max_attempts` given) gives up after that many tries."""
    msg.last_error = error[:500]
    if after is not None:
        msg.next_attempt_at = clock.now() + timedelta(seconds=after)
    else:
        msg.attempts += 1
        if max_attempts is not None and msg.attempts >= max_attempts:
            msg.status = "failed"
        msg.next_attempt_at = clock.now() + timedelta(seconds=backoff(msg.attempts))
    await msg.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])


async def mark_failed(msg: OutboxMessage, error: str) -> None:
    """A permanent error (blocked, invalid recipient): stop retrying, keep it visible."""
    msg.attempts += 1
    msg.status = "failed"
    msg.last_error = error[:500]
    await msg.save(update_fields=["attempts", "status", "last_error"])


async def failed(limit: int = 100) -> list[OutboxMessage]:
    return await OutboxMessage.filter(status="failed").order_by("-id").limit(limit)


async def remember_thread(channel: str, chat_id: str, message_id: str, thread_ref: str) -> None:
    """Remember that this sent message belongs to a thread, so a reply to it can be routed."""
    await SentMessageRef.get_or_create(
        channel=channel, chat_id=chat_id, message_id=message_id, defaults={"thread_ref": thread_ref}
    )


async def thread_of(
    channel: str, chat_id: str, message_id: str, *, text: str | None = None
) -> str | None:
    """The thread a reply to `message_id` belongs to.

    The thread is known from the moment the outbox row is written; the provider's message id
    only once the send returns. A reply can arrive in between (the recipient is fast, or the
    provider's answer is slow), so when the id is not known yet, the reply is matched to the
    row still waiting for its id by the replied-to text, which the chat provider echoes back."""
    ref = await SentMessageRef.get_or_none(channel=channel, chat_id=chat_id, message_id=message_id)
    if ref is not None:
        return ref.thread_ref
    rows = await (
        OutboxMessage.filter(channel=channel, chat_id=chat_id, thread_ref__not_isnull=True)
        .filter(Q(provider_message_id__isnull=True) | Q(provider_message_id=message_id))
        .order_by("-id")
        .limit(IN_FLIGHT_LOOKBACK)
    )
    for row in rows:
        if row.provider_message_id == message_id:  # recorded since the first look
            return row.thread_ref
    quoted = (text or "").strip()
    if not quoted:
        return None
    for row in rows:
        if row.status != "pending":  # only a send still in flight can lack its id
            continue
        sent = str(row.payload.get("text") or "").strip()
        if sent and quoted in sent:  # a long message arrives split: a reply quotes one part
            return row.thread_ref
    return None


async def retry_failed(message_id: int | None = None) -> int:
    """Put failed rows back in the queue (one, or all); returns how many."""
    qs = OutboxMessage.filter(status="failed")
    if message_id is not None:
        qs = qs.filter(id=message_id)
    return await qs.update(status="pending", attempts=0, next_attempt_at=clock.now())


async def counts() -> dict[str, int]:
    return {s: await OutboxMessage.filter(status=s).count() for s in ("pending", "sent", "failed")}


# -- the console's "failed messages" screen (#11) ---------------------------------------------------

# A link code (6 digits on its own) in a stuck email is still a live secret: never show it.
# Phone numbers (10 digits) and ids are longer or shorter, so they stay readable.
_CODE = re.compile(r"(?<!\d)\d{6}(?!\d)")


def mask_codes(text: str) -> str:
    return _CODE.sub("••••••", text)


def _admin(actor: Actor | None) -> None:
    if actor is not None and not can_manage_users(actor):
        raise DomainError(ErrorCode.FORBIDDEN)


async def failed_for(actor: Actor | None, limit: int = 100) -> list[OutboxMessage]:
    _admin(actor)
    return await failed(limit)


async def retry_as(actor: Actor | None, *, message_id: int | None) -> int:
    """`retry_failed` for an admin; NOT_FOUND when that one message is not (any more) failed."""
    _admin(actor)
    n = await retry_failed(message_id)
    if message_id is not None and n == 0:
        raise DomainError(ErrorCode.NOT_FOUND)
    return n
