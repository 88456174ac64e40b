"""Bank-transfer webhooks (SePay, Casso): verify the sender, parse to one BankTransfer."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from spacrm.core import clock


@dataclass(frozen=True, slots=True)
class BankTransfer:
    """One credited or debited bank transaction, whichever provider reported it."""

    provider: str  # "sepay", "casso"
    provider_id: str  # the provider's transaction id: the dedup key
    amount: int  # VND, positive = money in
    incoming: bool
    account: str  # the receiving account
    note: str  # the transfer note as the bank passed it on
    received_at: datetime  # aware
    reference: str  # the bank's FT reference, a secondary key
    raw: dict[str, Any]


class Rejected(Exception):
    """The request is not from the provider (bad/missing/stale signature): answer 401."""


class Malformed(Exception):
    """The request is signed but not a transaction we can read: answer 400."""


def same(secret: str, given: str) -> bool:
    """Constant-time compare that never raises: header values may hold any bytes (latin-1)."""
    return hmac.compare_digest(secret.encode("utf-8"), given.encode("utf-8", "surrogateescape"))


def local_time(text: str | None) -> datetime:
    """Providers send "2023-03-25 14:02:37" without a zone: it is Vietnam time."""
    if not text:
        return clock.now()
    try:
        parsed = datetime.fromisoformat(str(text).strip())
    except ValueError:
        return clock.now()
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=clock.TZ)
    return parsed


def to_int(value: Any) -> int:
    if isinstance(value, bool):
        raise Malformed("amount is not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    raise Malformed("amount is not a whole number of VND")
