"""Inbound Telegram: aiogram updates → ChatEvent → engine → outbox (never sent inline)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiogram import Bot, Dispatcher, F, Router
from aiogram.types import BotCommand, CallbackQuery, Message

from spacrm.adapters.telegram.render import to_payload
from spacrm.bot.engine import Engine
from spacrm.core.db import transaction
from spacrm.core.services import outbox
from spacrm.intents.chat import ChatEvent, Reply

log = logging.getLogger(__name__)


COMMANDS = [
    ("help", "Hướng dẫn"),
    ("dashboard", "Tổng quan"),
    ("leads", "Khách của tôi"),
    ("cancel", "Hủy việc đang làm"),
]


def _attachments(message: Message) -> list[str]:
    kinds = ("photo", "sticker", "document", "voice", "video", "audio", "location", "contact")
    return [k for k in kinds if getattr(message, k, None)]


class TelegramChannel:
    """Owns the aiogram Dispatcher; replies go to the outbox and the dispatcher is kicked."""

    def __init__(self, bot: Bot, engine: Engine, kick: Callable[[], None]) -> None:
        self.bot = bot
        self.engine = engine
        self.kick = kick
        self.dispatcher = Dispatcher()
        router = Router()
        router.message.register(self.on_message)
        router.callback_query.register(self.on_callback, F.data)
        self.dispatcher.include_router(router)

    async def setup_commands(self) -> None:
        await self.bot.set_my_commands([BotCommand(command=c, description=d) for c, d in COMMANDS])

    async def on_message(self, message: Message) -> None:
        if message.from_user is None:
            return
        replied = message.reply_to_message
        event = ChatEvent(
            channel="telegram",
            external_user_id=str(message.from_user.id),
            chat_id=str(message.chat.id),
            text=message.text or message.caption,
            event_id=f"m:{message.chat.id}:{message.message_id}",
            message_id=str(message.message_id),
            reply_to_message_id=str(replied.message_id) if replied else None,
            reply_to_text=(replied.text or replied.caption) if replied else None,
            display_name=message.from_user.full_name,
            attachments=_attachments(message),
        )
        await self._dispatch(event, None)

    async def on_callback(self, query: CallbackQuery) -> None:
        message_id = query.message.message_id if query.message else None
        chat_id = query.message.chat.id if query.message else query.from_user.id
        event = ChatEvent(
            channel="telegram",
            external_user_id=str(query.from_user.id),
            chat_id=str(chat_id),
            payload=query.data,
            event_id=f"cb:{query.id}",
            message_id=str(message_id) if message_id else None,
            display_name=query.from_user.full_name,
        )
        replies = await self._dispatch(event, message_id)
        toast = next((r.toast for r in replies if r.toast), None)
        try:
            await query.answer(text=toast[:200] if toast else None)
        except Exception:  # an old query can no longer be answered; the replies still go out
            log.info("could not answer callback %s", query.id)

    def _progress(self, chat_id: str) -> Callable[[str], Awaitable[None]]:
        """A long task's progress: one message, then edits of it (editMessageText). Sent straight
        to the Bot API, not through the outbox: the turn's transaction holds the outbox rows
        until it ends, and a lost progress line costs nothing (the result follows anyway)."""
        sent: list[int] = []

        async def say(text: str) -> None:
            try:
                if not sent:
                    sent.append((await self.bot.send_message(int(chat_id), text)).message_id)
                else:
                    await self.bot.edit_message_text(
                        text=text, chat_id=int(chat_id), message_id=sent[0]
                    )
            except Exception as exc:  # best effort: the export goes on
                log.info("progress message to %s not shown: %s", chat_id, exc)

        return say

    async def _dispatch(self, event: ChatEvent, message_id: int | None) -> list[Reply]:
        # One transaction: the change a message makes and the replies about it commit together,
        # so a crash never leaves a saved change without its answer (or an answer without it).
        async with transaction():
            replies = await self.engine.handle(event, progress=self._progress(event.chat_id))
            for n, reply in enumerate(replies):
                edit_id = message_id if n == 0 else None
                await outbox.enqueue(
                    "telegram",
                    event.chat_id,
                    to_payload(reply, edit_message_id=edit_id),
                    thread_ref=reply.thread_ref,
                )
        if replies:
            self.kick()
        return replies
