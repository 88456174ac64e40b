"""Channel-neutral reply -> Messenger Send API `message` objects.

Pure functions. Accepts anything shaped like `spacrm.intents.chat.Reply` (a `text` and rows of
buttons with `text`/`payload`) or plain `(text, payload)` tuples, so callers need not build the
dataclasses just to send a quick question.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any, Protocol

log = logging.getLogger(__name__)

TEXT_LIMIT = 2000  # [memory] message.text limit; the fake enforces the same number.
QUICK_REPLY_LIMIT = 13  # Messenger refuses more than 13 quick replies.
QUICK_REPLY_TITLE_LIMIT = 20  # Longer titles are rejected (code 100), so we shorten them.

# Preferred cut points, best first: paragraph, line, sentence end, word gap. The flag says whether
# the cut goes after the match (keep the full stop in the piece) or before it (drop the whitespace).
_BOUNDARIES: tuple[tuple[re.Pattern[str], bool], ...] = (
    (re.compile(r"\n\s*\n"), False),
    (re.compile(r"\n"), False),
    (re.compile(r"[.!?…]+[\"')\]]*(?=\s)"), True),
    (re.compile(r"\s"), False),
)


class ButtonLike(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def payload(self) -> str: ...


class ReplyLike(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def buttons(self) -> Sequence[Sequence[ButtonLike]]: ...


ButtonSpec = ButtonLike | tuple[str, str]


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Cut `text` into pieces of at most `limit` characters, at the nicest boundary available.

    A boundary is only used if it keeps the piece at least a third of the limit long, so a stray
    early newline does not produce a flood of tiny messages. Whitespace at a cut is dropped.
    """
    if limit <= 0:
        raise ValueError("limit must be positive")
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[: limit + 1]  # +1: whitespace right after the limit is still a fine cut
        cut = 0
        for pattern, after in _BOUNDARIES:
            cuts = [m.end() if after else m.start() for m in pattern.finditer(window)]
            fitting = [c for c in cuts if limit // 3 <= c <= limit]
            if fitting:
                cut = fitting[-1]
                break
        if cut == 0:
            cut = limit
        piece = rest[:cut].rstrip()
        if piece:
            pieces.append(piece)
        rest = rest[cut:].lstrip()
    if rest.strip() or not pieces:
        pieces.append(rest)
    return pieces


def _button_pair(button: ButtonSpec) -> tuple[str, str]:
    if isinstance(button, tuple):
        return button[0], button[1]
    return button.text, button.payload


def _short_title(title: str) -> str:
    title = title.strip() or "…"
    if len(title) <= QUICK_REPLY_TITLE_LIMIT:
        return title
    return title[: QUICK_REPLY_TITLE_LIMIT - 1].rstrip() + "…"


def quick_replies(buttons: Sequence[Sequence[ButtonSpec]]) -> list[dict[str, Any]]:
    """Flatten button rows into Messenger quick replies (rows do not exist in Messenger)."""
    flat = [_button_pair(b) for row in buttons for b in row]
    if len(flat) > QUICK_REPLY_LIMIT:
        # Dropping is the lesser evil: Messenger rejects the whole message otherwise.
        log.warning(
            "dropping %d quick replies over Messenger's limit", len(flat) - QUICK_REPLY_LIMIT
        )
        flat = flat[:QUICK_REPLY_LIMIT]
    return [{"content_type": "text", "title": _short_title(t), "payload": p} for t, p in flat]


def render_text(text: str, buttons: Sequence[Sequence[ButtonSpec]] = ()) -> list[dict[str, Any]]:
    """One or more `message` objects; quick replies ride on the last one (they show under it)."""
    messages: list[dict[str, Any]] = [{"text": piece} for piece in split_text(text)]
    qr = quick_replies(buttons)
    if qr:
        if not messages[-1]["text"].strip():
            # Messenger needs text (or an attachment) to hang quick replies on.
            messages[-1]["text"] = "…"
        messages[-1]["quick_replies"] = qr
    return messages


def render_reply(reply: ReplyLike) -> list[dict[str, Any]]:
    return render_text(reply.text, reply.buttons)
