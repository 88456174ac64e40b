"""Inbound Telegram that survives a restart: every update is stored before Telegram is told it
arrived (polling: before the offset moves on; webhook: before the 200), then handled by a small
pool of workers — one chat at a time in order, different chats in parallel."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

from aiogram.methods import GetUpdates
from aiogram.types import Update

from spacrm.adapters.app.inbox_workers import InboxWorkers
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


class TelegramInbox(InboxWorkers):
    log = log
    name = "telegram inbox"

    def __init__(
        self, channel: TelegramChannel, *, workers: int = 8, db_url: str | None = None
    ) -> None:
        super().__init__(workers=workers)
        self.channel = channel
        # Telegram allows one getUpdates caller per bot: with several processes on PostgreSQL
        # only the holder of this lock polls (all of them handle what it stores).
        self.poll_leader = Leadership(db_url, "telegram-poll") if db_url else None
        self.polling = False
        self._long_poll: asyncio.Future[Any] | None = None  # the getUpdates waiting, if any

    def stop(self) -> None:
        """As for every inbox; a getUpdates waiting for news ends at once rather than after its
        long-poll timeout (the offset moves only past stored updates: nothing is lost)."""
        super().stop()
        if self._long_poll is not None:
            self._long_poll.cancel()

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
            self.wake()
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
            request = asyncio.ensure_future(
                bot(method, request_timeout=int(bot.session.timeout) + polling_timeout)
            )
            self._long_poll = request
            try:
                try:
                    updates = await request
                finally:
                    self._long_poll = None
                raws = [u.model_dump(mode="json", exclude_none=True) for u in updates]
                await self.accept(raws)
            except asyncio.CancelledError:
                task = asyncio.current_task()
                if self._stopping and request.cancelled() and task and not task.cancelling():
                    break  # stop() ended the wait, not a cancellation of this task
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
    def sources(self) -> Iterable[str]:
        return (SOURCE,)

    async def process(self, row: Any) -> None:
        bot = self.channel.bot
        update = Update.model_validate(row.payload, context={"bot": bot})
        await self.channel.dispatcher.feed_update(bot, update)

    def describe(self, row: Any) -> str:
        return f"telegram update {row.key}"


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
