"""SePay balance-change webhooks (protocols/payments.md §2.1).

Authentication is either `Authorization: Apikey <key>` or an HMAC-SHA256 over "{timestamp}.{raw body}"
in `X-SePay-Signature: sha256=<hex>` with `X-SePay-Timestamp` (Unix seconds), refused when stale."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

from spacrm.adapters.bank import BankTransfer, Malformed, Rejected, local_time, same, to_int
from spacrm.core import clock


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The header value SePay sends (also used by tests and the README curl line)."""
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(
    headers: Mapping[str, str],
    body: bytes,
    *,
    api_key: str | None,
    hmac_secret: str | None,
    max_age: int,
) -> None:
    """Raise Rejected unless one configured method vouches for the request."""
    if not api_key and not hmac_secret:
        raise Rejected("SePay webhook is not configured")
    auth = headers.get("authorization", "")
    if api_key and auth[:7].lower() == "apikey " and same(api_key, auth[7:].strip()):
        return
    signature = headers.get("x-sepay-signature", "")
    if hmac_secret and signature:
        stamp = headers.get("x-sepay-timestamp", "").strip()
        if not stamp.isascii() or not stamp.isdigit():
            raise Rejected("missing or bad timestamp")
        if abs(clock.now().timestamp() - int(stamp)) > max_age:
            raise Rejected("stale timestamp")
        if same(sign(hmac_secret, int(stamp), body), signature.strip()):
            return
    raise Rejected("bad signature")


def parse(body: bytes) -> BankTransfer:
    try:
        data: Any = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Malformed("body is not JSON") from exc
    if not isinstance(data, dict) or data.get("id") in (None, ""):
        raise Malformed("no transaction id")
    amount = to_int(data.get("transferAmount"))
    incoming = str(data.get("transferType", "in")).lower() == "in"
    return BankTransfer(
        provider="sepay",
        provider_id=str(data["id"]),
        amount=amount,
        incoming=incoming,
        account=str(data.get("accountNumber") or data.get("subAccount") or ""),
        # SePay's own `code` is what it matched with its settings; the note is the source of truth
        note=str(data.get("content") or data.get("description") or ""),
        received_at=local_time(data.get("transactionDate")),
        reference=str(data.get("referenceCode") or ""),
        raw=data,
    )
