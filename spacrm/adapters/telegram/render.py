"""Reply → Telegram wire pieces: text chunks under 4096 characters and inline keyboards."""

from __future__ import annotations

import base64
from typing import Any

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from spacrm.intents.chat import Button, Reply

MAX_TEXT = 4096
SAFE_TEXT = 4000  # entity offsets count UTF-16 units; stay clear of the edge


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _fit(text: str, limit: int) -> int:
    """How many characters of `text` fit in `limit` UTF-16 units (emoji count twice)."""
    units = 0
    for n, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > limit:
            return n
    return len(text)


def split_text(text: str, limit: int = SAFE_TEXT) -> list[str]:
    """Split at line, then sentence, then word boundaries; never return an empty chunk."""
    text = text.strip() or "…"
    chunks: list[str] = []
    while _utf16(text) > limit:
        size = _fit(text, limit)
        window = text[:size]
        cut = max(window.rfind("\n"), window.rfind(". ") + 1, window.rfind(" "))
        if cut < size // 2:
            cut = size
        chunks.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    chunks.append(text)
    return [c for c in chunks if c]


def keyboard(rows: list[list[Button]]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=b.text[:64], callback_data=b.payload) for b in row]
            for row in rows
            if row
        ]
    )


def to_payload(reply: Reply, *, edit_message_id: int | None = None) -> dict[str, Any]:
    """The JSON an outbox row keeps for one reply."""
    payload: dict[str, Any] = {
        "text": reply.text,
        "buttons": [[[b.text, b.payload] for b in row] for row in reply.buttons],
    }
    if reply.edit and edit_message_id is not None:
        payload["edit_message_id"] = edit_message_id
    for name, data, mime in reply.all_files():  # one photo and one document per message
        kind = "image" if mime.startswith("image/") else "document"
        if f"{kind}_b64" not in payload:
            payload[f"{kind}_b64"] = base64.b64encode(data).decode()
            payload[f"{kind}_name"] = name
    return payload


def buttons_of(payload: dict[str, Any]) -> list[list[Button]]:
    return [[Button(text, data) for text, data in row] for row in payload.get("buttons", [])]
