"""A front-desk chat for the tests: typed messages go through the real Engine and parser; intents
today's parser does not emit yet are run with their slots (as the parser will give them), with
the same dialog state and error wording as the Engine."""

from __future__ import annotations

from typing import Any

from spacrm.bot.engine import Engine
from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError
from spacrm.core.services import dialogs
from spacrm.intents.chat import ChatEvent, Reply
from spacrm.intents.context import Ctx
from tests.bot.test_engine_transcripts import Chat


class Desk(Chat):
    def __init__(self, actor: Actor) -> None:
        super().__init__(Engine(), actor)

    async def does(self, intent: str, slots: dict[str, Any], *expected: str) -> str:
        state = await dialogs.load("test", self.chat_id)
        event = ChatEvent(channel="test", external_user_id=self.actor.login, chat_id=self.chat_id,
                          text=intent)  # fmt: skip
        ctx = Ctx(actor=self.actor, event=event, now=clock.local_now(), state=state)
        try:
            replies: list[Reply] = await self.engine._intents[intent](ctx, dict(slots))
        except DomainError as exc:
            replies = await self.engine._error_replies(ctx, exc)
        await dialogs.save("test", self.chat_id, ctx.state)
        self.buttons = [b for r in replies for row in r.buttons for b in row] or self.buttons
        out = "\n".join(r.text for r in replies)
        for piece in expected:
            assert piece in out, f"{piece!r} not in reply to {intent} {slots}:\n{out}"
        return out
