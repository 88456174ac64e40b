"""A staff conversation for tests: type, press buttons, or run one intent with given slots."""

from __future__ import annotations

import itertools
from typing import Any

from spacrm.bot.engine import Engine
from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError
from spacrm.core.services import dialogs
from spacrm.intents.chat import Button, ChatEvent, Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff import intents

_ids = itertools.count(1)


class Chat:
    """One staff member's terminal-like conversation; remembers the last buttons."""

    def __init__(self, engine: Engine, actor: Actor, chat_id: str | None = None) -> None:
        self.engine, self.actor = engine, actor
        self.buttons: list[Button] = []
        self.chat_id = chat_id or f"t:{actor.login}:{next(_ids)}"

    def _event(self, text: str | None, payload: str | None) -> ChatEvent:
        return ChatEvent(channel="test", external_user_id=self.actor.login, chat_id=self.chat_id,
                         text=text, payload=payload, event_id=f"e{next(_ids)}")  # fmt: skip

    def _keep(self, replies: list[Reply]) -> None:
        assert replies, "empty reply"
        assert all(r.text.strip() for r in replies)
        self.buttons = [b for r in replies for row in r.buttons for b in row] or self.buttons

    async def send(self, text: str | None = None, *, payload: str | None = None) -> list[Reply]:
        replies = await self.engine.handle(self._event(text, payload), actor=self.actor)
        self._keep(replies)
        return replies

    async def says(self, text: str, *expected: str) -> str:
        out = "\n".join(r.text for r in await self.send(text))
        for piece in expected:
            assert piece in out, f"{piece!r} not in reply to {text!r}:\n{out}"
        return out

    def button(self, label_part: str) -> Button:
        return next(
            b for b in self.buttons if label_part in b.text or b.payload.startswith(label_part)
        )

    async def press(self, label_part: str, *expected: str) -> str:
        button = self.button(label_part)
        out = "\n".join(r.text for r in await self.send(payload=button.payload))
        for piece in expected:
            assert piece in out, f"{piece!r} not in reply to button {button.text!r}:\n{out}"
        return out

    async def intent(self, name: str, slots: dict[str, Any], text: str, *expected: str) -> str:
        """Run one intent handler with the slots the parser gives for `text` (DESIGN §6), in this
        chat's state — for sentences whose parsing is tested in tests/bot/nlu."""
        event = self._event(text, None)
        state = await dialogs.load(event.channel, event.chat_id)
        ctx = Ctx(actor=self.actor, event=event, now=clock.local_now(), state=state)
        try:
            replies = await intents()[name](ctx, dict(slots))
        except DomainError as exc:
            replies = await self.engine._error_replies(ctx, exc)
        await dialogs.save(event.channel, event.chat_id, ctx.state)
        self._keep(replies)
        out = "\n".join(r.text for r in replies)
        for piece in expected:
            assert piece in out, f"{piece!r} not in reply to {text!r}:\n{out}"
        return out
