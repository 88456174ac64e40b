"""The outbox (DESIGN §4): every outbound message is a row first, sent after commit, retried."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from spacrm.core import clock
from spacrm.core.models import OutboxMessage, SentMessageRef

IN_FLIGHT_LOOKBACK = 20


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
    qs = OutboxMessage.filter(status="pending", next_attempt_at__lte=clock.now())
    if channels:
        qs = qs.filter(channel__in=list(channels))
    return await qs.order_by("id").limit(limit)


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


def backoff(attempts: int) -> float:
    """Seconds before the next try: 2, 4, 8 ... capped at 10 minutes."""
    return float(min(600, 2 ** max(1, attempts)))


async def mark_retry(
    msg: OutboxMessage, error: str, *, after: float | None, max_attempts: int
) -> None:
    msg.attempts += 1
    msg.last_error = error[:500]
    if msg.attempts >= max_attempts:
        msg.status = "failed"
    else:
        delay = after if after is not None else backoff(msg.attempts)
        msg.next_attempt_at = clock.now() + timedelta(seconds=delay)
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
