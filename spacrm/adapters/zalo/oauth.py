"""Connecting a Zalo OA by OAuth v4 with PKCE (shared/protocols/zalo.md §2): the admin is sent to
Zalo's permission page with a code challenge, Zalo sends them back with a one-use code, which is
exchanged (with the verifier and the app's secret key) for the OA's access and refresh tokens.
Refreshing them on expiry is ZaloClient's job (client.py)."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx


@dataclass(frozen=True, slots=True)
class OaTokens:
    access_token: str
    refresh_token: str
    expires_in_s: int


class OAuthError(Exception):
    """Zalo refused the code (reason from its answer) or could not be reached."""


def new_verifier() -> str:
    return secrets.token_urlsafe(48)  # 64 characters of [A-Za-z0-9_-], within RFC 7636's 43..128


def challenge_of(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def permission_url(
    oauth_base: str, *, app_id: str, redirect_uri: str, verifier: str, state: str
) -> str:
    query = urlencode({"app_id": app_id, "redirect_uri": redirect_uri,
                       "code_challenge": challenge_of(verifier), "state": state})  # fmt: skip
    return f"{oauth_base.rstrip('/')}/v4/oa/permission?{query}"


WAIT_S = 10


async def exchange_code(
    oauth_base: str, *, app_id: str, secret_key: str, code: str, verifier: str
) -> OaTokens:
    try:
        async with httpx.AsyncClient(timeout=WAIT_S) as http:
            resp = await http.post(
                f"{oauth_base.rstrip('/')}/v4/oa/access_token",
                headers={"secret_key": secret_key},
                data={"code": code, "app_id": app_id, "grant_type": "authorization_code",
                      "code_verifier": verifier},
            )  # fmt: skip
        body = resp.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise OAuthError(f"Zalo OAuth not reachable: {type(exc).__name__}") from exc
    if not isinstance(body, dict):
        body = {}
    access, refresh = body.get("access_token"), body.get("refresh_token")
    if not isinstance(access, str) or not isinstance(refresh, str) or not access:
        reason = body.get("error_description") or body.get("error_name") or resp.status_code
        raise OAuthError(str(reason)[:200])
    expires = str(body.get("expires_in") or "0")  # a string, e.g. "90000"
    return OaTokens(access, refresh, int(expires) if expires.isdigit() else 0)
