"""Inbound Telegram that survives a restart: every update is stored before Telegram is told it
arrived (polling: before the offset moves on; webhook: before the 200), then handled by a small
pool of workers — one chat at a time in order, different chats in parallel."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from typing import Any

from aiogram.methods import GetUpdates
from aiogram.types import Update

from spacrm.adapters.telegram.router import TelegramChannel
from spacrm.core.leader import Leadership
from spacrm.core.services import inbound

log = logging.getLogger(__name__)
SOURCE = "telegram"


def keys_of(raw: dict[str, Any]) -> tuple[str, str]:
    """(the update's id, the chat it belongs to) — the chat orders the handling."""
    chat = ""
    for kind in ("message", "edited_message", "channel_post"):
        if isinstance(raw.get(kind), dict):
            chat = str((raw[kind].get("chat") or {}).get("id", ""))
    query = raw.get("callback_query")
    if isinstance(query, dict):
        message = query.get("message") or {}
        chat = str((message.get("chat") or {}).get("id") or (query.get("from") or {}).get("id"))
    return str(raw.get("update_id", "")), chat


class TelegramInbox:
    def __init__(
        self, channel: TelegramChannel, *, workers: int = 8, db_url: str | None = None
    ) -> None:
        self.channel = channel
        self.workers = workers
        # Telegram allows one getUpdates caller per bot: with several processes on PostgreSQL
        # only the holder of this lock polls (all of them handle what it stores).
        self.poll_leader = Leadership(db_url, "telegram-poll") if db_url else None
        self._wake = asyncio.Event()
        self._inflight: dict[int, tuple[str, asyncio.Task[None]]] = {}
        self._stopping = False
        self.polling = False

    # ------------------------------------------------------------------ receiving
    async def accept(self, raws: list[dict[str, Any]]) -> int:
        """Store updates (durably); returns how many were new. Only then acknowledge them."""
        rows = []
        for raw in map(_storable, raws):
            key, chat = keys_of(raw)
            if key:
                rows.append((key, chat, raw))
        new = await inbound.store(SOURCE, rows)
        if new:
            self._wake.set()
        return new

    async def poll(self, polling_timeout: int = 10) -> None:
        """Long polling with our own offset: getUpdates → store → the next getUpdates confirms."""
        self.polling = True
        try:
            await self._poll(polling_timeout)
        finally:
            self.polling = False
            if self.poll_leader is not None:
                await asyncio.shield(self.poll_leader.release())

    async def _poll(self, polling_timeout: int) -> None:
        bot = self.channel.bot
        allowed = self.channel.dispatcher.resolve_used_update_types()
        offset: int | None = None
        delay = 1.0
        while not self._stopping:
            if self.poll_leader is not None and not await self.poll_leader.hold():
                offset = None  # whoever polled last confirmed what it stored
                await asyncio.sleep(5)
                continue
            method = GetUpdates(offset=offset, timeout=polling_timeout, allowed_updates=allowed)
            try:
                updates = await bot(
                    method, request_timeout=int(bot.session.timeout) + polling_timeout
                )
                raws = [u.model_dump(mode="json", exclude_none=True) for u in updates]
                await self.accept(raws)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # Telegram or the database away: wait and ask again
                log.warning(
                    "telegram polling: %s: %s (again in %.0f s)", type(exc).__name__, exc, delay
                )
                await asyncio.sleep(delay)
                delay = min(30.0, delay * 2)
                continue
            delay = 1.0
            if updates:
                offset = updates[-1].update_id + 1

    # ------------------------------------------------------------------ handling
    async def work(self) -> None:
        """Handle stored updates until stopped (also those left by a previous run)."""
        while not self._stopping:
            self._wake.clear()
            wait = 1.0
            try:
                free = self.workers - len(self._inflight)
                if free > 0:
                    busy = frozenset(chat for chat, _ in self._inflight.values())
                    rows = await inbound.claim(SOURCE, free, skip_chats=busy)
                    for row in rows:
                        task = asyncio.get_running_loop().create_task(self._handle(row))
                        self._inflight[row.id] = (row.chat_key, task)
                        task.add_done_callback(functools.partial(self._finished, row.id))
                    if rows and len(rows) == free:
                        wait = 0.0
            except Exception:
                log.exception("telegram inbox pass failed")
            if wait:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=wait)

    async def _handle(self, row: Any) -> None:
        bot = self.channel.bot
        try:
            update = Update.model_validate(row.payload, context={"bot": bot})
            await self.channel.dispatcher.feed_update(bot, update)
        except Exception as exc:
            log.exception("telegram update %s could not be handled", row.key)
            await inbound.failed(row, repr(exc))
            return
        await inbound.done(row)

    def _finished(self, row_id: int, task: asyncio.Task[None]) -> None:
        self._inflight.pop(row_id, None)
        self._wake.set()

    def stop(self) -> None:
        """No new updates are fetched or started; those in hand finish (see drain)."""
        self._stopping = True
        self._wake.set()

    async def drain(self, seconds: float) -> int:
        """Wait up to `seconds` for the updates being handled; returns how many did not finish
        (they stay stored and are handled after the restart)."""
        tasks = [task for _, task in self._inflight.values()]
        if not tasks:
            return 0
        _, pending = await asyncio.wait(tasks, timeout=seconds)
        return len(pending)


def _storable(value: Any) -> Any:
    """The update without NUL bytes and lone surrogates: PostgreSQL refuses them in JSON columns,
    and a refused insert would make Telegram deliver the same update forever."""
    if isinstance(value, str):
        return value.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_storable(v) for v in value]
    return value
