"""The staff bot over the Zalo OA: the same engine as Telegram, on the customer OA's webhook.

Who is staff here (decided per message, before the customer bot sees it):

1. A Zalo user linked to an active staff account (ChannelIdentity "zalo") always talks to the
   staff engine.
2. Linking starts with a command: "/start", "/nhanvien", "/staff" or "/login". A bare
   "nhân viên" is NOT one: customers type exactly that to ask for a person (the handoff).
3. While a link is in progress (a pending emailed code, or a command seen in the last
   `link_code_minutes`), a one-word message (a login, an email, the 6-digit code) goes to the
   staff engine; a sentence goes to the customer bot and ends the attempt, so a customer who
   typed "/start" by mistake is answered normally.
4. With `SPACRM_ZALO_STAFF_LINKING=login`, a message that is exactly an active staff login or
   email also starts linking (step 3 then applies). Off by default: on a public OA a customer who
   happens to type a login would be told where a code was emailed. `off` allows no new links.

Everyone else is a customer. The unlinked side only ever shows the generic linking welcome and
the answers to what the person typed, as on Telegram.

Replies go to the outbox as "zalo" rows with the OA id and `audience: staff` (see sender.py);
Zalo CS messages have no buttons, so they are a numbered list and a typed number (or a label)
is mapped back to the payload of the list the user last saw.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from spacrm.adapters.zalo import staff_memory
from spacrm.adapters.zalo.render import choice_payload
from spacrm.bot.engine import Engine
from spacrm.core.db import transaction
from spacrm.core.services import linking, outbox
from spacrm.core.settings import Settings
from spacrm.intents.chat import ChatEvent, Reply

log = logging.getLogger(__name__)

CHANNEL = "zalo"
LINK_COMMANDS = frozenset({"/start", "/nhanvien", "/staff", "/login"})
MAX_LOGIN = 200


def _one_word(text: str) -> bool:
    return bool(text) and len(text) <= MAX_LOGIN and not any(c.isspace() for c in text)


def staff_payload(reply: Reply, reply_to: str | None) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "text": reply.text or reply.toast or "",
        "buttons": [[[b.text, b.payload] for b in row] for row in reply.buttons],
        "audience": "staff",
    }
    if reply_to:
        payload["reply_to"] = reply_to
    image = next((f for f in reply.all_files() if f[2].startswith("image/")), None)
    if image is not None:  # the OA sends one image per message (a QR code, a bill)
        payload["image_b64"] = base64.b64encode(image[1]).decode()
        payload["image_name"] = image[0]
    return payload


class _ChatLocks:
    """One staff chat is handled one message at a time (dialog state, button memory)."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._users: dict[str, int] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._users[key] -= 1
            if not self._users[key]:
                del self._users[key], self._locks[key]


class ZaloStaffChannel:
    def __init__(
        self,
        engine: Engine,
        kick: Callable[[], None],
        settings: Settings,
    ) -> None:
        self.engine = engine
        self.kick = kick
        self.settings = settings
        self._locks = _ChatLocks()

    async def is_staff(self, event: ChatEvent) -> bool:
        """The routing rule in the module docstring."""
        user_id = event.external_user_id
        if await linking.is_linked(CHANNEL, user_id):
            return True
        mode = self.settings.zalo_staff_linking
        if mode == "off":
            return False
        text = (event.text or "").strip()
        if text and text.split()[0].lower() in LINK_COMMANDS:
            await staff_memory.open_linking(user_id, self.settings.link_code_minutes)
            return True
        if await linking.has_pending_link(CHANNEL, user_id) or await staff_memory.linking_open(
            user_id
        ):
            if _one_word(text):
                return True
            if text:
                await staff_memory.close_linking(user_id)
            return False
        if mode == "login" and _one_word(text) and await linking.knows_login(text):
            await staff_memory.open_linking(user_id, self.settings.link_code_minutes)
            return True
        return False

    async def handle(self, event: ChatEvent) -> None:
        """Run the staff engine on one message and queue its replies (a background task)."""
        try:
            async with self._locks.hold(event.chat_id), transaction():
                if event.message_id:
                    await staff_memory.remember_inbound(event.external_user_id, event.message_id)
                event = await self._with_choice(event)
                # The webhook already recorded the msg_id (inbound idempotency): no second check.
                event = dataclasses.replace(event, event_id=None)
                replies = await self.engine.handle(event)
                for reply in replies:
                    await outbox.enqueue(
                        CHANNEL, event.chat_id, staff_payload(reply, event.message_id),
                        account_ref=event.account_ref,
                    )  # fmt: skip
        except Exception:
            log.exception("staff message %s on Zalo failed", event.event_id)
        self.kick()

    async def _with_choice(self, event: ChatEvent) -> ChatEvent:
        text = (event.text or "").strip()
        if not text or event.payload is not None:
            return event
        options = await staff_memory.last_buttons(event.external_user_id)
        payload = choice_payload(options, text) if options else None
        return dataclasses.replace(event, text=None, payload=payload) if payload else event
