"""Sends outbox rows through each channel's sender, honouring retry-after and backing off."""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

from spacrm.core.models import OutboxMessage
from spacrm.core.services import outbox

log = logging.getLogger(__name__)


class RetryLater(Exception):
    def __init__(self, reason: str, after: float | None = None) -> None:
        super().__init__(reason)
        self.after = after


class PermanentFailure(Exception):
    pass


class Sender(Protocol):
    async def send(self, msg: OutboxMessage) -> str | None:
        """Send one row; return the provider's message id. Raise RetryLater or PermanentFailure."""
        ...


class OutboxDispatcher:
    def __init__(
        self, senders: dict[str, Sender], *, max_attempts: int = 12, idle_seconds: float = 1.0
    ) -> None:
        self.senders = senders
        self.max_attempts = max_attempts
        self.idle_seconds = idle_seconds
        self._wake = asyncio.Event()
        self._stopping = False

    def kick(self) -> None:
        """Send now instead of at the next tick (called right after a commit that queued messages)."""
        self._wake.set()

    async def run_once(self) -> int:
        """Send what is due; returns how many rows were attempted."""
        rows = await outbox.due(limit=50, channels=tuple(self.senders))
        # Per chat, order matters: stop at the first row of a chat that must wait.
        blocked: set[tuple[str, str]] = set()
        for msg in rows:
            key = (msg.channel, msg.chat_id)
            if key in blocked:
                continue
            try:
                provider_id = await self.senders[msg.channel].send(msg)
            except RetryLater as exc:
                blocked.add(key)
                log.warning("outbox %s to %s: retry (%s)", msg.id, msg.channel, exc)
                await outbox.mark_retry(
                    msg, str(exc), after=exc.after, max_attempts=self.max_attempts
                )
            except PermanentFailure as exc:
                log.warning("outbox %s to %s: permanent failure (%s)", msg.id, msg.channel, exc)
                await outbox.mark_failed(msg, str(exc))
            except Exception as exc:  # an unknown error is treated as temporary, and logged
                blocked.add(key)
                log.exception("outbox %s to %s: unexpected error", msg.id, msg.channel)
                await outbox.mark_retry(msg, repr(exc), after=None, max_attempts=self.max_attempts)
            else:
                await outbox.mark_sent(msg, provider_id)
        return len(rows)

    async def run(self) -> None:
        while not self._stopping:
            try:
                await self.run_once()
            except Exception:
                log.exception("outbox dispatcher tick failed")
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.idle_seconds)
            except TimeoutError:
                pass
            self._wake.clear()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()
