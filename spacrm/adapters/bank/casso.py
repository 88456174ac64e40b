"""Casso webhooks (protocols/payments.md §2.2): v2 signs with `X-Casso-Signature: t=<ms>,v1=<hex>`
(HMAC-SHA512 over "<t>." + the body as sorted compact JSON); legacy v1 sends a `secure-token`."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from typing import Any

from spacrm.adapters.bank import BankTransfer, Malformed, Rejected, local_time, same, to_int
from spacrm.core import clock

_HEADER = re.compile(r"^\s*t=(\d{10,16})\s*,\s*v1=([0-9a-fA-F]{128})\s*$")


def _php_json(body: Any) -> str:
    """json_encode as Casso's PHP sample does it: non-ASCII as \\uXXXX and "/" as "\\/"."""
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).replace(
        "/", "\\/"
    )


def canonical_forms(body: Any) -> list[str]:
    """The JSON texts Casso may have signed. Which one it uses for non-ASCII text or "/" is
    unconfirmed, so a signature over any of them is accepted (they agree on plain ASCII)."""
    forms = [
        json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False),
        json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True),
        _php_json(body),
    ]
    return list(dict.fromkeys(forms))


def sign(key: str, timestamp_ms: int, body: Any) -> str:
    """The header value Casso sends (tests and fakes)."""
    message = f"{timestamp_ms}.{canonical_forms(body)[0]}".encode()
    digest = hmac.new(key.encode(), message, hashlib.sha512).hexdigest()
    return f"t={timestamp_ms},v1={digest}"


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Malformed("body is not JSON") from exc


def verify(
    headers: Mapping[str, str],
    body: bytes,
    *,
    checksum_key: str | None,
    secure_token: str | None,
    max_age: int,
) -> None:
    """Raise Rejected unless the v2 signature or the v1 secure-token checks out."""
    if not checksum_key and not secure_token:
        raise Rejected("Casso webhook is not configured")
    token = headers.get("secure-token")
    if secure_token and token is not None and same(secure_token, token.strip()):
        return
    header = headers.get("x-casso-signature")
    if checksum_key and header:
        match = _HEADER.match(header)
        if match is None:
            raise Rejected("malformed signature header")
        stamp_ms, given = int(match.group(1)), match.group(2).lower()
        if abs(clock.now().timestamp() * 1000 - stamp_ms) > max_age * 1000:
            raise Rejected("stale timestamp")
        parsed = _json(body)
        for form in canonical_forms(parsed):
            digest = hmac.new(
                checksum_key.encode(), f"{stamp_ms}.{form}".encode(), hashlib.sha512
            ).hexdigest()
            if hmac.compare_digest(digest, given):
                return
    raise Rejected("bad signature")


def _item(item: Mapping[str, Any], v2: bool) -> BankTransfer:
    if item.get("id") in (None, ""):
        raise Malformed("no transaction id")
    amount = to_int(item.get("amount"))
    if v2:
        account = item.get("accountNumber") or item.get("virtualAccountNumber") or ""
        when, ref = item.get("transactionDateTime"), item.get("reference")
    else:
        account = item.get("bank_sub_acc_id") or item.get("subAccId") or ""
        when, ref = item.get("when"), item.get("tid")
    return BankTransfer(
        provider="casso",
        provider_id=str(item["id"]),
        amount=abs(amount),
        incoming=amount > 0,
        account=str(account),
        note=str(item.get("description") or ""),
        received_at=local_time(when),
        reference=str(ref or ""),
        raw=dict(item),
    )


def parse(body: bytes) -> list[BankTransfer]:
    """v2 carries one transaction in `data`, v1 a list of them."""
    parsed = _json(body)
    if not isinstance(parsed, dict) or "data" not in parsed:
        raise Malformed("no data")
    data = parsed["data"]
    if isinstance(data, dict):
        return [_item(data, v2=True)]
    if isinstance(data, list) and all(isinstance(x, dict) for x in data):
        return [_item(x, v2=False) for x in data]
    raise Malformed("data is neither an object nor a list")
