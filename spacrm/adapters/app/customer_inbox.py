"""Inbound Messenger and Zalo OA events that survive a restart (issue 13 §5): the webhook stores
each event (and remembers its id) before answering 200, then a small pool of workers handles the
stored events — one customer conversation at a time and in order, different ones in parallel,
several `serve` processes on PostgreSQL never taking the same row. A kill after the 200 loses
nothing (the next start handles what is stored); a provider's retry is skipped by its id."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from spacrm.adapters.app.inbox_workers import InboxWorkers
from spacrm.core.services import inbound

Handler = Callable[[dict[str, Any]], Awaitable[None]]


class CustomerInbox(InboxWorkers):
    log = logging.getLogger(__name__)
    name = "customer inbox"

    def __init__(self, handlers: dict[str, Handler], *, workers: int = 8) -> None:
        super().__init__(workers=workers)
        self.handlers = handlers  # source ("facebook", "zalo") -> handles one stored payload

    async def accept(self, source: str, rows: list[tuple[str, str, dict[str, Any]]]) -> int:
        """Store (event id, conversation key, payload) rows durably; repeats are skipped.
        Returns how many were new. Only then answer the provider."""
        new = await inbound.store_once(source, rows) if rows else 0
        if new:
            self.wake()
        return new

    def sources(self) -> Iterable[str]:
        return self.handlers

    async def process(self, row: Any) -> None:
        await self.handlers[row.source](row.payload)
