"""Console cookies, CSRF tokens and the sign-in rate limit.

Cookies carry a random value plus an HMAC with a per-installation secret (a file under the data
directory, made on first use), so a forged or edited cookie is simply absent. The CSRF token of a
form is an HMAC of the browser's cookie (the session token, or before sign-in a "pre" value), so a
page on another site cannot know it. Rate limits are in memory: one server process (`spacrm serve`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import deque
from pathlib import Path

from fastapi import Request, Response

SESSION_COOKIE = "spc_session"
PRE_COOKIE = "spc_pre"  # before sign-in: the anchor of the sign-in forms' CSRF tokens
PENDING_COOKIE = "spc_pending"  # between the password and the code: the code's nonce
PATH = "/console"


class Signer:
    def __init__(self, secret: bytes) -> None:
        self.secret = secret

    @classmethod
    def for_data_dir(cls, data_dir: Path) -> Signer:
        path = data_dir / "console_secret"
        if not path.exists():
            data_dir.mkdir(parents=True, exist_ok=True)
            path.write_bytes(secrets.token_bytes(32))
            path.chmod(0o600)
        return cls(path.read_bytes())

    def _mac(self, purpose: str, value: str) -> str:
        return hmac.new(self.secret, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()

    def sign(self, purpose: str, value: str) -> str:
        return f"{value}.{self._mac(purpose, value)}"

    def unsign(self, purpose: str, signed: str | None) -> str | None:
        value, _, mac = (signed or "").rpartition(".")
        if not value or not hmac.compare_digest(mac, self._mac(purpose, value)):
            return None
        return value

    def csrf_for(self, anchor: str) -> str:
        return self._mac("csrf", anchor)

    def csrf_ok(self, anchor: str | None, token: str | None) -> bool:
        return bool(anchor and token) and hmac.compare_digest(
            self.csrf_for(anchor or ""), token or ""
        )


def set_cookie(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=PATH,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def clear_cookie(response: Response, name: str) -> None:
    response.delete_cookie(name, path=PATH, httponly=True, samesite="lax")


class RateLimiter:
    """At most `limit` events per key within `window` seconds (a sliding window)."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._events: dict[str, deque[float]] = {}

    def allow(self, key: str) -> bool:
        """Count one attempt for `key`; False (and not counted) when over the limit."""
        now = time.monotonic()
        events = self._events.setdefault(key, deque())
        while events and events[0] <= now - self.window:
            events.popleft()
        if len(events) >= self.limit:
            return False
        events.append(now)
        if len(self._events) > 10_000:  # a flood of keys must not grow memory forever
            self._events = {
                k: v for k, v in self._events.items() if v and v[-1] > now - self.window
            }
        return True
