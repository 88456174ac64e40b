"""The parse result: an intent id and the slots that were mentioned (DESIGN §6)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class NluResult:
    intent: str
    slots: dict[str, Any] = field(default_factory=dict)
    # The message points at a customer by a pronoun or a demonstrative ("chị ấy", "khách này"):
    # the engine may use the card on screen. Not part of the printed contract.
    focus_ref: bool = False
    # A leave request's words that may be a colleague's given name (`names.given_names`): the
    # request is the sender's own, one naming someone else files nothing. Not printed either.
    named: frozenset[str] = frozenset()
    # The given name such a message is about ("Hồng nghỉ phép thứ 7": "Hồng"; `names.leave_subject`).
    subject: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"intent": self.intent, "slots": dict(self.slots)}

    def to_json(self) -> str:
        """Compact JSON as `spacrm nlu` prints it (Vietnamese kept readable)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))
