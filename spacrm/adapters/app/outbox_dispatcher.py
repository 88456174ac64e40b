"""Sends outbox rows through each channel's sender: as soon as they are queued, in parallel across
chats (a bounded pool), in order within a chat, within the provider's rate limits, pausing on
retry_after without counting it as a failed attempt."""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from spacrm.core.models import OutboxMessage
from spacrm.core.services import outbox

log = logging.getLogger(__name__)


class RetryLater(Exception):
    """A temporary problem. `after` (seconds, from the provider) pauses the chat; with
    `whole_channel` the provider asked the whole bot/account to slow down."""

    def __init__(self, reason: str, after: float | None = None, *, whole_channel: bool = False):
        super().__init__(reason)
        self.after = after
        self.whole_channel = whole_channel


class PermanentFailure(Exception):
    pass


class Sender(Protocol):
    async def send(self, msg: OutboxMessage) -> str | None:
        """Send one row; return the provider's message id. Raise RetryLater or PermanentFailure."""
        ...


@dataclass
class RateLimit:
    """A provider's limits (0 = none): messages per second per account, and per chat with a burst."""

    per_second: float = 0.0
    chat_per_second: float = 0.0
    chat_burst: int = 1


@dataclass
class _Bucket:
    rate: float
    burst: float
    tokens: float = 0.0
    at: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.tokens = self.burst

    def _refill(self, now: float) -> None:
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now

    def available(self, now: float) -> int:
        self._refill(now)
        return int(self.tokens)

    def wait(self, now: float) -> float:
        """Seconds until one token is there."""
        self._refill(now)
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self, now: float) -> None:
        self._refill(now)
        self.tokens -= 1


class OutboxDispatcher:
    def __init__(
        self,
        senders: dict[str, Sender],
        *,
        max_attempts: int = 12,
        idle_seconds: float = 1.0,
        pool: int = 16,
        limits: dict[str, RateLimit] | None = None,
    ) -> None:
        self.senders = senders
        self.max_attempts = max_attempts  # only for unknown errors; temporary ones never fail
        self.idle_seconds = idle_seconds  # how often to look for rows queued by other processes
        self.pool = pool
        self.limits = limits or {}
        self.sent_calls = 0  # sends attempted (the drills report it)
        self._wake = asyncio.Event()
        self._stopping = False
        self._inflight: dict[int, asyncio.Task[Any]] = {}
        self._channel_paused: dict[str, float] = {}
        self._probing: set[str] = set()
        self._inflight_channel: dict[int, str] = {}
        self._channel_bucket: dict[str, _Bucket] = {}
        self._chat_bucket: dict[tuple[str, str], _Bucket] = {}

    def kick(self) -> None:
        """Send now instead of at the next tick (called right after a commit that queued messages)."""
        self._wake.set()

    # ------------------------------------------------------------------ rate limits
    def _channel_room(self, channel: str, now: float) -> tuple[int, float]:
        """How many rows of `channel` may start now, and when to look again if none."""
        paused = self._channel_paused.get(channel, 0.0)
        if paused > now:
            return 0, paused - now
        if channel in self._probing:  # after a pause, one send tests the water before the rest
            busy = any(ch == channel for ch in self._inflight_channel.values())
            return (0, self.idle_seconds) if busy else (1, 0.0)
        limit = self.limits.get(channel)
        if limit is None or limit.per_second <= 0:
            return self.pool, 0.0
        bucket = self._channel_bucket.setdefault(
            channel, _Bucket(limit.per_second, max(1.0, limit.per_second))
        )
        room = bucket.available(now)
        return room, (bucket.wait(now) if room == 0 else 0.0)

    def _chat_bucket_of(self, channel: str, chat: str) -> _Bucket | None:
        limit = self.limits.get(channel)
        if limit is None or limit.chat_per_second <= 0:
            return None
        key = (channel, chat)
        bucket = self._chat_bucket.get(key)
        if bucket is None:
            if len(self._chat_bucket) > 10_000:  # forget idle chats (full buckets) now and then
                self._chat_bucket = {
                    k: b for k, b in self._chat_bucket.items() if b.available(time.monotonic()) < 1
                }
            bucket = self._chat_bucket[key] = _Bucket(limit.chat_per_second, limit.chat_burst)
        return bucket

    # ------------------------------------------------------------------ one pass
    async def fill(self) -> float:
        """Start sends for what is due, up to the pool size; returns seconds until worth looking
        again (0 when more may be due right away)."""
        now = time.monotonic()
        free = self.pool - len(self._inflight)
        if free <= 0:
            return self.idle_seconds
        wait = self.idle_seconds
        open_channels: list[str] = []
        room: dict[str, int] = {}
        for channel in self.senders:
            n, again = self._channel_room(channel, now)
            if n > 0:
                open_channels.append(channel)
                room[channel] = n
            else:
                wait = min(wait, again)
        if not open_channels:
            return wait
        skip: set[tuple[str, str]] = set()
        for key, bucket in self._chat_bucket.items():
            if bucket.wait(now) > 0:
                skip.add(key)
                wait = min(wait, bucket.wait(now))
        free = min(free, sum(room.values()))
        rows = await outbox.claim(free, channels=tuple(open_channels), skip_chats=frozenset(skip))
        started = 0
        for msg in rows:
            channel_bucket = self._channel_bucket.get(msg.channel)
            if room[msg.channel] <= 0:
                await outbox.release(msg)  # the account's per-second budget is spent
                continue
            room[msg.channel] -= 1
            if channel_bucket is not None:
                channel_bucket.take(now)
            chat_bucket = self._chat_bucket_of(msg.channel, msg.chat_id)
            if chat_bucket is not None:
                chat_bucket.take(now)
            task = asyncio.get_running_loop().create_task(self._send(msg))
            self._inflight[msg.id] = task
            self._inflight_channel[msg.id] = msg.channel
            task.add_done_callback(functools.partial(self._done, msg.id))
            started += 1
        return 0.0 if started and started == free else wait

    async def run_once(self) -> int:
        """Send what is due now and wait for those sends (tools and tests)."""
        await self.fill()
        count = len(self._inflight)
        if self._inflight:
            await asyncio.gather(*self._inflight.values(), return_exceptions=True)
        return count

    async def _send(self, msg: OutboxMessage) -> None:
        self.sent_calls += 1
        try:
            provider_id = await self.senders[msg.channel].send(msg)
        except RetryLater as exc:
            log.warning("outbox %s to %s: retry (%s)", msg.id, msg.channel, exc)
            if exc.after is not None and exc.whole_channel:
                self._channel_paused[msg.channel] = time.monotonic() + exc.after
                self._probing.add(msg.channel)
            await outbox.mark_retry(msg, str(exc), after=exc.after)
        except PermanentFailure as exc:
            log.warning("outbox %s to %s: permanent failure (%s)", msg.id, msg.channel, exc)
            await outbox.mark_failed(msg, str(exc))
        except Exception as exc:  # an unknown error: retried, but given up after max_attempts
            log.exception("outbox %s to %s: unexpected error", msg.id, msg.channel)
            await outbox.mark_retry(msg, repr(exc), after=None, max_attempts=self.max_attempts)
        else:
            self._probing.discard(msg.channel)
            await outbox.mark_sent(msg, provider_id)

    def _done(self, msg_id: int, task: asyncio.Task[Any]) -> None:
        self._inflight.pop(msg_id, None)
        self._inflight_channel.pop(msg_id, None)
        if not task.cancelled() and task.exception() is not None:
            # Marking the row failed in the database (locked, connection lost): the lease runs
            # out and the row is sent again; the one case where a message may be doubled.
            log.error("outbox: could not record a send: %r", task.exception())
        self._wake.set()

    async def run(self) -> None:
        while not self._stopping:
            self._wake.clear()
            try:
                wait = await self.fill()
                if wait > 0:
                    until = await outbox.next_due_in(tuple(self.senders))
                    if until is not None:
                        wait = min(wait, max(until, 0.01))
            except Exception:
                log.exception("outbox dispatcher pass failed")
                wait = self.idle_seconds
            if wait > 0:
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=wait)
                except TimeoutError:
                    pass

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()

    async def drain(self, seconds: float) -> None:
        """Let the sends in flight finish (they are quick) so none is sent twice after a restart."""
        if self._inflight:
            await asyncio.wait(list(self._inflight.values()), timeout=seconds)
