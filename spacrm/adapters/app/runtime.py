"""Everything `spacrm serve` runs, built once from settings: engine, channels, outbox, scheduler."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from spacrm.adapters.app.customer_inbox import CustomerInbox
from spacrm.adapters.app.outbox_dispatcher import OutboxDispatcher, RateLimit, Sender
from spacrm.adapters.telegram.inbox import TelegramInbox
from spacrm.adapters.telegram.router import TelegramChannel
from spacrm.bot.booking_reminders import send_appointment_reminders
from spacrm.bot.day_digest import send_day_digests
from spacrm.bot.engine import Engine
from spacrm.bot.kb_digest import send_kb_digests
from spacrm.bot.kb_digest import staff_hook as kb_digest_hook
from spacrm.bot.morning import send_morning_summaries
from spacrm.bot.notify import send_due_reminders
from spacrm.bot.weekly_kpi import send_weekly_kpis
from spacrm.core.leader import Leadership
from spacrm.core.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    dispatcher: OutboxDispatcher
    telegram: TelegramChannel | None = None
    inbox: TelegramInbox | None = None
    customer_inbox: CustomerInbox | None = None  # Messenger / Zalo events (customer_routes)
    web_extensions: list[Callable[[Any, Runtime], None]] = field(default_factory=list)
    _tasks: set[asyncio.Task[Any]] = field(default_factory=set)

    def spawn(self, coro: Coroutine[Any, Any, Any], name: str | None = None) -> asyncio.Task[Any]:
        """Background work that must not be garbage-collected before it finishes."""
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def scheduler(self, every: float = 20.0) -> None:
        """Reminders (and later digests). With several processes on PostgreSQL only the leader
        (an advisory lock) runs it; when the leader dies its lock goes and another takes over."""
        leader = Leadership(self.settings.db_url, "scheduler")
        try:
            while True:
                try:
                    if await leader.hold() and await self._scheduled_jobs():
                        self.dispatcher.kick()
                except Exception:
                    log.exception("scheduler tick failed")
                await asyncio.sleep(every if leader.held else min(every, 5.0))
        finally:
            await leader.release()

    @staticmethod
    async def _scheduled_jobs() -> int:
        """One tick of every scheduled job; one failing job never stops the others."""
        sent = 0
        for job in (
            send_due_reminders, send_appointment_reminders, send_morning_summaries,
            send_kb_digests, send_weekly_kpis, send_day_digests,
        ):  # fmt: skip
            try:
                sent += await job()
            except Exception:
                log.exception("scheduled job %s failed", job.__name__)
        return sent

    async def shutdown(self, seconds: float, web: asyncio.Task[Any] | None = None) -> None:
        """Stop taking work, give what is in hand up to `seconds` to finish. Received updates
        not handled yet and replies not sent yet stay stored for the next start."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        if self.inbox is not None:
            self.inbox.stop()
            for task in list(self._tasks):
                if task.get_name() == "telegram-poll":
                    task.cancel()  # the offset only moves past stored updates: safe to cut
            left = await self.inbox.drain(max(0.1, deadline - loop.time() - 1.0))
            if left:
                log.warning(
                    "%d Telegram update(s) still being handled; kept for the next start", left
                )
        if self.customer_inbox is not None:
            self.customer_inbox.stop()
            left = await self.customer_inbox.drain(max(0.1, deadline - loop.time() - 1.0))
            if left:
                log.warning(
                    "%d customer message(s) still being handled; kept for the next start", left
                )
        self.dispatcher.stop()
        await self.dispatcher.drain(max(0.1, deadline - loop.time()))
        if web is not None:
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(web, timeout=max(0.1, deadline - loop.time()))

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=1.0)
        if self.telegram is not None:
            with contextlib.suppress(Exception):
                await self.telegram.bot.session.close()


def build_runtime(settings: Settings, senders: dict[str, Sender] | None = None) -> Runtime:
    from spacrm.adapters.app.email_sender import EmailSender
    from spacrm.adapters.telegram.client import TelegramSender, make_bot

    engine = Engine(settings.lang)
    # The chatbot digest's buttons (issue 7); the customer wiring's hook runs it first too.
    engine.before = kb_digest_hook
    all_senders: dict[str, Sender] = {"email": EmailSender(settings)}
    bot = None
    if settings.telegram_token is not None:
        bot = make_bot(settings.telegram_token.get_secret_value(), settings.telegram_api_base)
        all_senders["telegram"] = TelegramSender(bot)
    all_senders.update(senders or {})
    limits = {
        "telegram": RateLimit(
            per_second=settings.telegram_max_per_second,
            chat_per_second=settings.telegram_chat_per_second,
            chat_burst=settings.telegram_chat_burst,
        )
    }
    dispatcher = OutboxDispatcher(
        all_senders,
        max_attempts=settings.outbox_max_attempts,
        pool=settings.outbox_pool,
        limits=limits,
    )
    runtime = Runtime(settings=settings, engine=engine, dispatcher=dispatcher)
    if bot is not None:
        runtime.telegram = TelegramChannel(bot, engine, dispatcher.kick)
        runtime.inbox = TelegramInbox(
            runtime.telegram, workers=settings.inbound_workers, db_url=settings.db_url
        )
    return runtime
