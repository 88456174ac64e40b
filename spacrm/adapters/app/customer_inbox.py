"""Inbound Messenger and Zalo OA events that survive a restart (issue 13 §5): the webhook stores
each event (and remembers its id) before answering 200, then a small pool of workers handles the
stored events — one customer conversation at a time and in order, different ones in parallel,
several `serve` processes on PostgreSQL never taking the same row. A kill after the 200 loses
nothing (the next start handles what is stored); a provider's retry is skipped by its id."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from spacrm.core.services import inbound

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], Awaitable[None]]


class CustomerInbox:
    def __init__(self, handlers: dict[str, Handler], *, workers: int = 8) -> None:
        self.handlers = handlers  # source ("facebook", "zalo") -> handles one stored payload
        self.workers = workers
        self._wake = asyncio.Event()
        self._inflight: dict[int, tuple[str, asyncio.Task[None]]] = {}
        self._stopping = False

    async def accept(self, source: str, rows: list[tuple[str, str, dict[str, Any]]]) -> int:
        """Store (event id, conversation key, payload) rows durably; repeats are skipped.
        Returns how many were new. Only then answer the provider."""
        new = await inbound.store_once(source, rows) if rows else 0
        if new:
            self._wake.set()
        return new

    async def work(self) -> None:
        """Handle stored events until stopped (also those left by a previous run)."""
        while not self._stopping:
            self._wake.clear()
            wait = 1.0
            try:
                for source in self.handlers:
                    free = self.workers - len(self._inflight)
                    if free <= 0:
                        break
                    busy = frozenset(chat for chat, _ in self._inflight.values())
                    rows = await inbound.claim(source, free, skip_chats=busy)
                    for row in rows:
                        task = asyncio.get_running_loop().create_task(self._handle(row))
                        self._inflight[row.id] = (row.chat_key, task)
                        task.add_done_callback(functools.partial(self._finished, row.id))
                    if rows and len(rows) == free:
                        wait = 0.0
            except Exception:
                log.exception("customer inbox pass failed")
            if wait:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=wait)

    async def _handle(self, row: Any) -> None:
        try:
            await self.handlers[row.source](row.payload)
        except Exception as exc:
            log.exception("%s event %s could not be handled", row.source, row.key)
            await inbound.failed(row, repr(exc))
            return
        await inbound.done(row)

    def _finished(self, row_id: int, task: asyncio.Task[None]) -> None:
        self._inflight.pop(row_id, None)
        self._wake.set()

    def stop(self) -> None:
        """No new events are started; those in hand finish (see drain)."""
        self._stopping = True
        self._wake.set()

    async def drain(self, seconds: float) -> int:
        """Wait up to `seconds` for the events being handled; returns how many did not finish
        (they stay stored and are handled after the restart)."""
        tasks = [task for _, task in self._inflight.values()]
        if not tasks:
            return 0
        _, pending = await asyncio.wait(tasks, timeout=seconds)
        return len(pending)
