"""Everything `spacrm serve` runs, built once from settings: engine, channels, outbox, scheduler."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from spacrm.adapters.outbox_dispatcher import OutboxDispatcher, Sender
from spacrm.adapters.telegram.router import TelegramChannel
from spacrm.bot.booking_reminders import send_appointment_reminders
from spacrm.bot.engine import Engine
from spacrm.bot.notify import send_due_reminders
from spacrm.core.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    dispatcher: OutboxDispatcher
    telegram: TelegramChannel | None = None
    web_extensions: list[Callable[[Any, Runtime], None]] = field(default_factory=list)
    _tasks: set[asyncio.Task[Any]] = field(default_factory=set)

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Background work that must not be garbage-collected before it finishes."""
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def scheduler(self, every: float = 20.0) -> None:
        while True:
            try:
                if await send_due_reminders() + await send_appointment_reminders():
                    self.dispatcher.kick()
            except Exception:
                log.exception("scheduler tick failed")
            await asyncio.sleep(every)


def build_runtime(settings: Settings, senders: dict[str, Sender] | None = None) -> Runtime:
    from spacrm.adapters.email_sender import EmailSender
    from spacrm.adapters.telegram.client import TelegramSender, make_bot

    engine = Engine(settings.lang)
    all_senders: dict[str, Sender] = {"email": EmailSender(settings)}
    bot = None
    if settings.telegram_token is not None:
        bot = make_bot(settings.telegram_token.get_secret_value(), settings.telegram_api_base)
        all_senders["telegram"] = TelegramSender(bot)
    all_senders.update(senders or {})
    dispatcher = OutboxDispatcher(all_senders, max_attempts=settings.outbox_max_attempts)
    runtime = Runtime(settings=settings, engine=engine, dispatcher=dispatcher)
    if bot is not None:
        runtime.telegram = TelegramChannel(bot, engine, dispatcher.kick)
    return runtime
