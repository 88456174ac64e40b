"""What an intent gets: who is acting, the event, the dialog state, and helpers to reply/ask."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from spacrm.core.actors import Actor
from spacrm.intents.chat import Button, ChatEvent, Reply
from spacrm.intents.texts import t

CANCEL = "x"


@dataclass(slots=True)
class Ctx:
    actor: Actor
    event: ChatEvent
    now: datetime
    state: dict[str, Any] = field(default_factory=dict)

    @property
    def lang(self) -> str:
        return self.actor.lang

    def t(self, key: str, **params: Any) -> str:
        return t(self.lang, key, **params)

    def cancel_button(self) -> Button:
        return Button(self.t("btn.cancel"), CANCEL)

    def ask(
        self, intent: str, slots: dict[str, Any], awaiting: str, question: str,
        buttons: list[list[Button]] | None = None,
    ) -> list[Reply]:  # fmt: skip
        """Remember what we are waiting for; the next message or button continues `intent`."""
        self.state["pending"] = {"intent": intent, "slots": slots, "await": awaiting}
        rows = [*(buttons or []), [self.cancel_button()]]
        return [Reply(question, rows)]

    def done(self) -> None:
        self.state.pop("pending", None)
