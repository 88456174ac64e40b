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
    # ASCII and short: "²".isdigit() is true but int("²") raises, as does int() of 4,300+ digits.
    if not (choice.isascii() and choice.isdigit()) or len(choice) > 3:
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


# -- the staff bot over Zalo ----------------------------------------------------------------------
CANCEL_PAYLOAD = "x"  # the engine's cancel button (spacrm.intents.context.CANCEL)


def staff_options(
    buttons: Sequence[Sequence[ButtonSpec]],
) -> tuple[list[tuple[str, str]], str | None]:
    """(numbered options, cancel label). Cancel is left out of the numbers on purpose: every
    question of the staff bot carries it, and a typed "1" that answers "how many hours?" must not
    cancel the question. It is shown as the /cancel command instead."""
    options: list[tuple[str, str]] = []
    cancel: str | None = None
    for text, payload in _flatten(buttons):
        if payload == CANCEL_PAYLOAD:
            cancel = text
        else:
            options.append((text, payload))
    return options, cancel


def render_staff(
    text: str, options: Sequence[tuple[str, str]], cancel: str | None
) -> list[dict[str, Any]]:
    parts = [text.strip()] if text.strip() else []
    if options:
        parts.append(numbered_options([list(options)]))
    if cancel:
        parts.append(f"✖ {cancel}: /cancel")
    return [{"text": piece} for piece in split_text("\n\n".join(parts) or "…", TEXT_LIMIT)]


def choice_payload(options: Sequence[tuple[str, str]], answer: str) -> str | None:
    """A typed number, or the exact label of an option (as in the terminal chat), → its payload."""
    by_number = payload_for_choice([list(options)], answer)
    if by_number is not None:
        return by_number
    wanted = answer.strip().casefold()
    return next((payload for label, payload in options if label.strip().casefold() == wanted), None)
