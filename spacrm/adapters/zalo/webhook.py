"""Inbound Zalo OA webhooks: the `X-ZEvent-Signature` check and event parsing.

Pure functions for the web app to call. Nothing here raises on a bad body: Zalo retries non-200
answers and eventually disables the webhook, so unknown or broken events are simply skipped.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from typing import Any

from spacrm.core.textnorm import clean_inbound

SIGNATURE_HEADER = "X-ZEvent-Signature"

# Events where the OA is the sender: delivery/seen receipts and the OA's own sends (oa_*).
_OA_SENDS = frozenset({"user_received_message", "user_seen_message"})
_FOLLOW_EVENTS = frozenset({"follow", "unfollow"})


def _json_field(value: Any) -> str | None:
    # Ids and timestamps are strings in practice; a number is turned back into its digits (Python's
    # json keeps big integers exact, so nothing is lost).
    if isinstance(value, str):
        return clean_inbound(value, 200)  # ids reach database queries before the signature check
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)[:200]
    return None


def expected_signature(raw_body: bytes, oa_secret_key: str) -> str | None:
    """`mac=<hex sha256(app_id + raw_body + timestamp + oa_secret_key)>`, or None if the body has
    no app_id/timestamp. A plain hash, not an HMAC, and the key is the OA secret, not the app's."""
    try:
        body = json.loads(raw_body)
    except (ValueError, RecursionError):  # RecursionError: nesting too deep to parse
        return None
    if not isinstance(body, dict):
        return None
    app_id = _json_field(body.get("app_id"))
    timestamp = _json_field(body.get("timestamp"))
    if app_id is None or timestamp is None:
        return None
    digest = hashlib.sha256(
        app_id.encode() + raw_body + timestamp.encode() + oa_secret_key.encode()
    ).hexdigest()
    return f"mac={digest}"


def verify_signature(raw_body: bytes, header: str | None, oa_secret_key: str) -> bool:
    """Check the header over the exact bytes received; tolerates a missing `mac=` prefix."""
    if not header or not oa_secret_key:
        return False
    expected = expected_signature(raw_body, oa_secret_key)
    if expected is None:
        return False
    given = header.strip()
    if given[:4].lower() == "mac=":
        given = given[4:]
    # Bytes, not str: compare_digest raises on non-ASCII str, and a header can hold anything.
    return hmac.compare_digest(
        expected[4:].encode(), given.strip().lower().encode("utf-8", "replace")
    )


@dataclass(frozen=True, slots=True)
class ZaloInbound:
    event_name: str
    oa_id: str
    user_id: str  # the OA-scoped Zalo user id; a big number kept as a string
    msg_id: str | None = None
    text: str | None = None
    attachments: list[str] = field(default_factory=list)  # kinds: "image", "sticker", ...
    timestamp_ms: int = 0
    tracking_id: str | None = None  # ZNS delivery receipts echo our tracking id
    app_id: str | None = None

    @property
    def is_user_message(self) -> bool:
        return self.event_name.startswith(("user_send_", "anonymous_send_"))

    @property
    def event_id(self) -> str:
        """A key for inbound idempotency: the message id, or a stable one built from the event
        (follow/unfollow and some receipts carry no msg_id)."""
        if self.msg_id:
            return f"{self.event_name}:{self.msg_id}"
        return f"{self.event_name}:{self.oa_id}:{self.user_id}:{self.timestamp_ms}"


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _timestamp(value: Any) -> int:
    text = _json_field(value)
    return int(text) if text is not None and text.isdigit() else 0


def parse_event(payload: Any) -> ZaloInbound | None:
    """The event in a webhook body, or None when it is not an event we can attribute to an OA
    and a user."""
    body = _dict(payload)
    event_name = body.get("event_name")
    if not isinstance(event_name, str) or not event_name:
        return None
    sender = _json_field(_dict(body.get("sender")).get("id"))
    recipient = _json_field(_dict(body.get("recipient")).get("id"))
    if event_name in _FOLLOW_EVENTS:
        oa_id = _json_field(body.get("oa_id")) or recipient
        user_id = _json_field(_dict(body.get("follower")).get("id")) or sender
    elif event_name in _OA_SENDS or event_name.startswith("oa_"):
        oa_id, user_id = sender, recipient
    else:
        oa_id, user_id = recipient, sender
    if not oa_id or not user_id:
        return None

    message = _dict(body.get("message"))
    msg_id = _json_field(message.get("msg_id"))
    if msg_id is None:
        # user_seen_message lists the seen ids instead.
        seen = message.get("msg_ids")
        if isinstance(seen, list) and seen:
            msg_id = _json_field(seen[0])
    text = message.get("text")
    kinds: list[str] = []
    attachments = message.get("attachments")
    if isinstance(attachments, list):
        for item in attachments:
            kind = _dict(item).get("type")
            if isinstance(kind, str) and kind:
                kinds.append(kind)
    tracking = message.get("tracking_id")
    return ZaloInbound(
        event_name=event_name,
        oa_id=oa_id,
        user_id=user_id,
        msg_id=msg_id,
        text=clean_inbound(text) if isinstance(text, str) else None,
        attachments=kinds,
        timestamp_ms=_timestamp(body.get("timestamp")),
        tracking_id=_json_field(tracking),
        app_id=_json_field(body.get("app_id")),
    )


def parse_event_body(raw_body: bytes) -> ZaloInbound | None:
    """`parse_event` on raw bytes; None for anything that is not a JSON object."""
    try:
        return parse_event(json.loads(raw_body))
    except (ValueError, RecursionError):  # RecursionError: nesting too deep to parse
        return None
