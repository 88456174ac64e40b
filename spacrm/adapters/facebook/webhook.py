"""Inbound Messenger webhooks: the GET handshake, the signature check and payload parsing.

Pure functions so the web app (FastAPI, elsewhere) stays a thin shell around them. Parsing never
raises: Meta's payloads grow new fields and event kinds, and a webhook that answers 500 gets
retried and eventually disabled, so anything we do not understand is skipped, not fatal.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from spacrm.core.textnorm import clean_inbound

SIGNATURE_HEADER = "X-Hub-Signature-256"


def verify_challenge(params: Mapping[str, str], verify_token: str) -> str | None:
    """The `hub.challenge` to echo with 200, or None (answer 403)."""
    if params.get("hub.mode") != "subscribe":
        return None
    given = params.get("hub.verify_token")
    if given is None or not verify_token:
        return None
    if not hmac.compare_digest(given.encode("utf-8", "replace"), verify_token.encode()):
        return None
    return params.get("hub.challenge")


def verify_signature(raw_body: bytes, header: str | None, app_secret: str) -> bool:
    """Check `X-Hub-Signature-256: sha256=<hex>` over the exact bytes received.

    Meta signs its own escaped-unicode serialisation, so re-serialising parsed JSON would not match;
    the caller must pass the raw request body.
    """
    if not header or not app_secret:
        return False
    scheme, _, given = header.strip().partition("=")
    if scheme.lower() != "sha256" or not given:
        return False
    expected = hmac.new(app_secret.encode(), raw_body, hashlib.sha256).hexdigest()
    # Bytes, not str: compare_digest raises on non-ASCII str, and a header can hold anything.
    return hmac.compare_digest(expected.encode(), given.strip().lower().encode("utf-8", "replace"))


@dataclass(frozen=True, slots=True)
class FbInbound:
    """One user message or button press. For echoes, `sender_id` is still the user (the PSID the
    conversation is with) and `page_id` the page, so routing is the same for both directions."""

    page_id: str
    sender_id: str  # the user's page-scoped id (PSID)
    mid: str
    text: str | None = None
    attachments: list[str] = field(default_factory=list)  # kinds: "image", "sticker", "audio", ...
    postback_payload: str | None = None
    quick_reply_payload: str | None = None
    timestamp_ms: int = 0
    is_echo: bool = False
    postback_title: str | None = None

    @property
    def payload(self) -> str | None:
        """The button payload, whichever kind of button was pressed."""
        return self.postback_payload or self.quick_reply_payload


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _str_or_none(value: Any) -> str | None:
    if isinstance(value, str):
        return clean_inbound(value, 200)  # ids go into database queries
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)[
            :200
        ]  # ids are documented as strings, but do not lose one sent as a number
    return None


def _text(value: Any) -> str | None:
    return clean_inbound(value) if isinstance(value, str) else None


def _int(value: Any) -> int:
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return 0


def _synthetic_mid(page_id: str, sender_id: str, timestamp_ms: int, content: str) -> str:
    # Stable across Meta's redeliveries of the same event, so idempotency by mid still works.
    digest = hashlib.sha256(f"{page_id}|{sender_id}|{timestamp_ms}|{content}".encode()).hexdigest()
    return f"syn_{digest[:32]}"


def _attachment_kinds(attachments: list[Any]) -> list[str]:
    kinds: list[str] = []
    for item in attachments:
        att = _dict(item)
        kind = _str_or_none(att.get("type"))
        if kind is None:
            continue
        # Stickers (and the thumbs-up "like") arrive as images carrying a sticker_id.
        if kind == "image" and "sticker_id" in _dict(att.get("payload")):
            kind = "sticker"
        kinds.append(kind)
    return kinds


def _parse_messaging(entry_id: str | None, item: Any, include_echoes: bool) -> FbInbound | None:
    event = _dict(item)
    sender = _str_or_none(_dict(event.get("sender")).get("id"))
    recipient = _str_or_none(_dict(event.get("recipient")).get("id"))
    timestamp = _int(event.get("timestamp"))
    message = event.get("message")
    postback = event.get("postback")

    if isinstance(message, dict):
        is_echo = message.get("is_echo") is True
        if is_echo and not include_echoes:
            return None
        # Echoes are the page's own sends: sender is the page, recipient the user.
        page_id, user_id = (sender, recipient) if is_echo else (recipient or entry_id, sender)
        if not page_id or not user_id:
            return None
        text = _text(message.get("text"))
        qr = _text(_dict(message.get("quick_reply")).get("payload"))
        kinds = _attachment_kinds(_list(message.get("attachments")))
        if "sticker_id" in message and "sticker" not in kinds:
            kinds.append("sticker")
        mid = _str_or_none(message.get("mid")) or _synthetic_mid(
            page_id, user_id, timestamp, f"m|{text}|{qr}|{','.join(kinds)}"
        )
        return FbInbound(
            page_id=page_id,
            sender_id=user_id,
            mid=mid,
            text=text,
            attachments=kinds,
            quick_reply_payload=qr,
            timestamp_ms=timestamp,
            is_echo=is_echo,
        )

    if isinstance(postback, dict):
        page_id = recipient or entry_id
        if not page_id or not sender:
            return None
        payload = _text(postback.get("payload"))
        title = _text(postback.get("title"))
        mid = _str_or_none(postback.get("mid")) or _synthetic_mid(
            page_id, sender, timestamp, f"p|{payload}|{title}"
        )
        return FbInbound(
            page_id=page_id,
            sender_id=sender,
            mid=mid,
            postback_payload=payload,
            postback_title=title,
            timestamp_ms=timestamp,
        )
    # delivery, read, reaction, optin, referral, ...: nothing for the bot to answer.
    return None


def parse_events(payload: Any, *, include_echoes: bool = False) -> list[FbInbound]:
    """Every user message / postback in a webhook body, across all entries (batches can mix pages).

    Echoes of the page's own messages are skipped unless `include_echoes` (useful to notice a
    human answering from the Page inbox).
    """
    body = _dict(payload)
    if body.get("object", "page") != "page":
        return []
    events: list[FbInbound] = []
    for raw_entry in _list(body.get("entry")):
        entry = _dict(raw_entry)
        entry_id = _str_or_none(entry.get("id"))
        for item in _list(entry.get("messaging")):
            parsed = _parse_messaging(entry_id, item, include_echoes)
            if parsed is not None:
                events.append(parsed)
    return events
