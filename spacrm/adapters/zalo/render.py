"""Channel-neutral reply -> Zalo CS `message` objects.

Zalo consultation (CS) messages have no quick replies, and the interactive templates (buttons,
lists) are separate paid message types with their own quota. So buttons become a numbered list
in the text; the bot's conversation engine matches a typed "1", "2", ... back to the payload
(`payload_for_choice`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spacrm.adapters.facebook.render import ButtonSpec, ReplyLike, split_text

TEXT_LIMIT = 2000  # [memory, unverified]


def _flatten(buttons: Sequence[Sequence[ButtonSpec]]) -> list[tuple[str, str]]:
    return [b if isinstance(b, tuple) else (b.text, b.payload) for row in buttons for b in row]


def numbered_options(buttons: Sequence[Sequence[ButtonSpec]]) -> str:
    return "\n".join(f"{i}. {text}" for i, (text, _) in enumerate(_flatten(buttons), start=1))


def payload_for_choice(buttons: Sequence[Sequence[ButtonSpec]], answer: str) -> str | None:
    """The payload of the option a user picked by typing its number ("2", " 2. "), else None."""
    choice = answer.strip().rstrip(".)").strip()
    if not choice.isdigit():
        return None
    options = _flatten(buttons)
    index = int(choice) - 1
    return options[index][1] if 0 <= index < len(options) else None


def render_text(text: str, buttons: Sequence[Sequence[ButtonSpec]] = ()) -> list[dict[str, Any]]:
    options = numbered_options(buttons)
    full = f"{text}\n\n{options}" if options and text.strip() else (options or text)
    return [{"text": piece} for piece in split_text(full, TEXT_LIMIT)]


def render_reply(reply: ReplyLike) -> list[dict[str, Any]]:
    return render_text(reply.text, reply.buttons)
