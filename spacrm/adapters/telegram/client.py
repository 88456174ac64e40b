"""Outbound Telegram: one chokepoint that turns outbox rows into Bot API calls via aiogram."""

from __future__ import annotations

import base64
import logging

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup, Message

from spacrm.adapters.app.outbox_dispatcher import PermanentFailure, RetryLater
from spacrm.adapters.telegram.render import buttons_of, keyboard, split_text
from spacrm.core.models import OutboxMessage
from spacrm.core.services import outbox

log = logging.getLogger(__name__)
MAX_CAPTION = 1024


def make_bot(token: str, api_base: str) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_base))
    return Bot(token, session=session)


class TelegramSender:
    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, msg: OutboxMessage) -> str | None:
        try:
            return await self._send(msg)
        except TelegramRetryAfter as exc:
            # Telegram does not say which limit was hit (the chat's or the bot's): pause the whole
            # bot for retry_after. Going on with the other chats only earns more 429s (and a longer
            # ban); the pause does not count as a failed attempt.
            raise RetryLater(exc.message, after=float(exc.retry_after), whole_channel=True) from exc
        except (TelegramForbiddenError, TelegramNotFound, TelegramUnauthorizedError) as exc:
            raise PermanentFailure(exc.message) from exc
        except TelegramBadRequest as exc:
            if "not modified" in exc.message:
                return None  # the message already shows this: nothing to do
            raise PermanentFailure(exc.message) from exc
        except (TelegramServerError, TelegramNetworkError) as exc:
            raise RetryLater(str(exc)) from exc

    async def _send(self, msg: OutboxMessage) -> str | None:
        payload = msg.payload
        chat_id = int(msg.chat_id)
        markup = keyboard(buttons_of(payload))
        text = str(payload.get("text") or "")
        if payload.get("image_b64"):
            photo = BufferedInputFile(
                base64.b64decode(payload["image_b64"]), payload.get("image_name", "image.png")
            )
            caption = text if len(text) <= MAX_CAPTION else None
            sent = await self.bot.send_photo(
                chat_id, photo, caption=caption, reply_markup=markup if caption else None
            )
            if caption is None and text:
                sent = await self._send_text(chat_id, text, markup, msg)
            return str(sent.message_id)
        if payload.get("document_b64"):
            doc = BufferedInputFile(
                base64.b64decode(payload["document_b64"]), payload.get("document_name", "file.bin")
            )
            sent = await self.bot.send_document(chat_id, doc, caption=text[:MAX_CAPTION] or None)
            return str(sent.message_id)
        edit_id = payload.get("edit_message_id")
        if edit_id and len(text) <= 4000:
            try:
                await self.bot.edit_message_text(
                    text=text, chat_id=chat_id, message_id=int(edit_id), reply_markup=markup
                )
                return str(edit_id)
            except TelegramBadRequest as exc:
                if "not modified" in exc.message:
                    return str(edit_id)
                log.info("edit failed (%s); sending a new message", exc.message)
        return str((await self._send_text(chat_id, text, markup, msg)).message_id)

    async def _send_text(
        self, chat_id: int, text: str, markup: InlineKeyboardMarkup | None, msg: OutboxMessage
    ) -> Message:
        """A long text goes out in parts; each part sent is noted on the row (outbox.note_progress),
        so a 429 halfway through resends none of the earlier parts. The last part (with the
        buttons) is only recorded by marking the row sent."""
        chunks = split_text(text)
        start = min(int(msg.payload.get("sent_parts") or 0), len(chunks) - 1)
        sent: Message | None = None
        for n in range(start, len(chunks)):
            last = n == len(chunks) - 1
            sent = await self.bot.send_message(
                chat_id, chunks[n], reply_markup=markup if last else None
            )
            if not last and msg.id is not None:
                await outbox.note_progress(msg, n + 1)
        assert sent is not None
        return sent
