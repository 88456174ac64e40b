"""What an intent gets: who is acting, the event, the dialog state, and helpers to reply/ask."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from spacrm.core.actors import Actor
from spacrm.core.settings import get_settings
from spacrm.intents.chat import Button, ChatEvent, Reply
from spacrm.intents.texts import t

CANCEL = "x"


@dataclass(slots=True)
class Ctx:
    actor: Actor
    event: ChatEvent
    now: datetime
    state: dict[str, Any] = field(default_factory=dict)
    # The message points at the customer on screen ("chị ấy", "khách này"): the parser says so.
    focus_ref: bool = False
    # Words of the message that may be a colleague's given name (request_leave): the parser's.
    named: frozenset[str] = frozenset()
    # The given name a leave or overtime message is about ("Hồng nghỉ phép thứ 7"), "" if none.
    subject: str = ""
    # For the usage log (#33): the intent that ran (set by the intent table) and the change
    # counter when the turn began (a turn that called `changed` moved it).
    intent: str = ""
    change_n_at_start: int = field(init=False, default=0)
    # Where a long task (a large export) reports how far it is; the channel decides how (an
    # edited message on Telegram, a printed line in the terminal). None: nowhere.
    progress: Callable[[str], Awaitable[None]] | None = None

    def __post_init__(self) -> None:
        self.change_n_at_start = int(self.state.get("change_n", 0))

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
        rows = [*(buttons or []), [self.cancel_button()]]
        # The buttons offered: a button of an older question (another customer) is refused.
        offered = [b.payload for row in rows for b in row]
        self.state["pending"] = {
            "intent": intent, "slots": slots, "await": awaiting, "offered": offered,
        }  # fmt: skip
        return [Reply(question, rows)]

    def done(self) -> None:
        self.state.pop("pending", None)

    def set_focus(self, lead_id: int) -> None:
        """The customer just worked on: "chị ấy" means them for the next few minutes."""
        self.state["focus"] = lead_id
        self.state["focus_at"] = self.now.isoformat()

    def focus(self) -> int | None:
        """The customer in focus, or None once `focus_minutes` have passed since it was set (a
        focus without a time comes from an older version: treated as expired)."""
        lead_id, at = self.state.get("focus"), self.state.get("focus_at")
        if not lead_id or not at:
            return None
        age = self.now - datetime.fromisoformat(str(at))
        if age > timedelta(minutes=get_settings().focus_minutes) or age < timedelta(0):
            return None
        return int(lead_id)

    def changed(self, what: str, **details: Any) -> None:
        """Remember the actor's last change in this chat, for "hoàn tác" (undo)."""
        number = int(self.state.get("change_n", 0)) + 1  # an old "Hoàn tác" button stays old
        self.state["change_n"] = number
        self.state["last_change"] = {
            "what": what,
            "n": number,
            "at": self.now.isoformat(),
            **details,
        }

    def last_change(self) -> dict[str, Any] | None:
        """The change "hoàn tác" would undo; like the focus, it is forgotten after a while."""
        change = self.state.get("last_change")
        if not change:
            return None
        at = change.get("at")
        age = self.now - datetime.fromisoformat(str(at)) if at else timedelta(days=1)
        if age > timedelta(minutes=get_settings().focus_minutes):
            self.state.pop("last_change", None)
            return None
        return dict(change)
