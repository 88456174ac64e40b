"""The worker pool behind every stored inbox (Telegram updates, Messenger and Zalo OA events):
stored rows are claimed and handled by at most `workers` tasks — one conversation at a time and
in order, different ones in parallel, several `serve` processes on PostgreSQL never taking the
same row (core/services/inbound.py). A row whose handling raises is marked failed, the others
done. Subclasses say which sources they read and how one row is handled."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Iterable
from typing import Any

from spacrm.core.services import inbound


class InboxWorkers:
    log = logging.getLogger(__name__)  # subclasses log under their own module's name
    name = "inbox"  # in the log line of a failed pass

    def __init__(self, *, workers: int = 8) -> None:
        self.workers = workers
        self._wake = asyncio.Event()
        self._inflight: dict[int, tuple[str, asyncio.Task[None]]] = {}
        self._stopping = False

    def sources(self) -> Iterable[str]:
        raise NotImplementedError

    async def process(self, row: Any) -> None:
        """Handle one stored row; an exception marks it failed."""
        raise NotImplementedError

    def describe(self, row: Any) -> str:
        """The row in the log line of a failed handling."""
        return f"{row.source} event {row.key}"

    def wake(self) -> None:
        """New rows are stored: claim them now rather than at the next second."""
        self._wake.set()

    async def work(self) -> None:
        """Handle stored rows until stopped (also those left by a previous run)."""
        while not self._stopping:
            self._wake.clear()
            wait = 1.0
            try:
                for source in self.sources():
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
                self.log.exception("%s pass failed", self.name)
            if wait:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=wait)

    async def _handle(self, row: Any) -> None:
        try:
            await self.process(row)
        except Exception as exc:
            self.log.exception("%s could not be handled", self.describe(row))
            await inbound.failed(row, repr(exc))
            return
        await inbound.done(row)

    def _finished(self, row_id: int, task: asyncio.Task[None]) -> None:
        self._inflight.pop(row_id, None)
        self._wake.set()

    def stop(self) -> None:
        """No new rows are started; those in hand finish (see drain)."""
        self._stopping = True
        self._wake.set()

    async def drain(self, seconds: float) -> int:
        """Wait up to `seconds` for the rows being handled; returns how many did not finish
        (they stay stored and are handled after the restart)."""
        tasks = [task for _, task in self._inflight.values()]
        if not tasks:
            return 0
        _, pending = await asyncio.wait(tasks, timeout=seconds)
        return len(pending)
