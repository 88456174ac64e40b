"""Outbound Zalo OA (CS messages, uploads, profiles) and ZNS over httpx.

Every OA/ZNS call goes through `_call`, which sends the `access_token` header, refreshes the token
once on -216 and retries. Zalo refresh tokens are single-use, so refreshes are serialised per OA:
two sends that both see an expired token must not both spend the same refresh token (the second
would fail with -14014 and the OA would need re-authorising by hand).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from spacrm.adapters.facebook.render import split_text
from spacrm.adapters.owned_http import OwnedHttp

log = logging.getLogger(__name__)

TEXT_LIMIT = 2000  # [memory, unverified] CS text limit.
# -216 is what OA endpoints answer for a bad/expired token; -124 is ZNS's "access token invalid"
# [memory]. Refreshing on a false alarm only costs one refresh (the new token is saved).
TOKEN_INVALID_CODES = frozenset({-216, -124})
NETWORK_ERROR_CODE = -1  # our own code for "no usable answer"
OUTSIDE_WINDOW_CODES = frozenset({-213, -230})  # -213 out of window / not following; -230 > 7 days
# -201 bad parameter; ZNS [memory]: -108 phone, -109 template id, -112 template data,
# -118 no Zalo account for the phone.
PERMANENT_CODES = frozenset({-201, -213, -230, -108, -109, -112, -118})


class ZaloApiError(Exception):
    def __init__(
        self,
        code: int,
        message: str,
        *,
        permanent: bool,
        outside_window: bool = False,
        http_status: int | None = None,
    ) -> None:
        super().__init__(f"Zalo error {code}: {message}")
        self.code = code
        self.message = message
        self.permanent = permanent
        self.outside_window = outside_window
        self.http_status = http_status


class ZaloTokens(Protocol):
    """Where one OA's tokens live (the DB in production). `save` must persist the new refresh
    token before returning: the old one is already spent."""

    async def load(self) -> tuple[str, str]: ...  # (access_token, refresh_token)
    async def save(self, access_token: str, refresh_token: str, expires_in_s: int) -> None: ...


@dataclass(frozen=True, slots=True)
class OaCredentials:
    oa_id: str
    app_id: str
    secret_key: str  # the Zalo *app* secret (OAuth); webhooks use the OA secret key instead


@dataclass(frozen=True, slots=True)
class ZaloProfile:
    user_id: str
    display_name: str | None
    avatar: str | None
    is_follower: bool | None
    raw: dict[str, Any]


def _error_from(code: int, message: str, status: int | None = None) -> ZaloApiError:
    if code in OUTSIDE_WINDOW_CODES:
        return ZaloApiError(code, message, permanent=True, outside_window=True, http_status=status)
    # Unknown codes are retried: the outbox gives up after its attempts anyway, and Zalo's codes
    # are poorly documented, so guessing "permanent" could drop a message that would have gone.
    return ZaloApiError(code, message, permanent=code in PERMANENT_CODES, http_status=status)


def _int_code(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return None
    return None


class ZaloClient(OwnedHttp):
    def __init__(
        self,
        openapi_base: str = "https://openapi.zalo.me",
        oauth_base: str = "https://oauth.zaloapp.com",
        zns_base: str = "https://business.openapi.zalo.me",
        timeout: float = 10,
        *,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        self.openapi_base = openapi_base.rstrip("/")
        self.oauth_base = oauth_base.rstrip("/")
        self.zns_base = zns_base.rstrip("/")
        self._http = http or httpx.AsyncClient(timeout=timeout)
        self._owns_http = http is None
        # Per process only: several server processes would need a DB lock around the refresh.
        self._refresh_locks: dict[str, asyncio.Lock] = {}

    # -- the chokepoint --------------------------------------------------------------------------
    async def _once(
        self, method: str, url: str, access_token: str, **kwargs: Any
    ) -> dict[str, Any]:
        try:
            resp = await self._http.request(
                method, url, headers={"access_token": access_token}, **kwargs
            )
        except httpx.HTTPError as exc:
            raise ZaloApiError(
                NETWORK_ERROR_CODE, f"{type(exc).__name__}: {exc}", permanent=False
            ) from exc
        if resp.status_code >= 500:
            raise ZaloApiError(
                NETWORK_ERROR_CODE, f"HTTP {resp.status_code}", permanent=False,
                http_status=resp.status_code,
            )  # fmt: skip
        try:
            body = resp.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise ZaloApiError(
                NETWORK_ERROR_CODE, f"HTTP {resp.status_code}: not a JSON object",
                permanent=400 <= resp.status_code < 500 and resp.status_code != 429,
                http_status=resp.status_code,
            )  # fmt: skip
        return body

    async def _call(
        self, creds: OaCredentials, tokens: ZaloTokens, method: str, url: str, **kwargs: Any
    ) -> dict[str, Any]:
        """One OA/ZNS request: the `data` object of a successful answer, else ZaloApiError."""
        access, _ = await tokens.load()
        body = await self._once(method, url, access, **kwargs)
        if _int_code(body.get("error")) in TOKEN_INVALID_CODES:
            access = await self._refresh(creds, tokens, stale_access=access)
            body = await self._once(method, url, access, **kwargs)
        code = _int_code(body.get("error"))
        if code is None:
            raise ZaloApiError(NETWORK_ERROR_CODE, "answer without an error field", permanent=False)
        if code != 0:
            raise _error_from(code, str(body.get("message") or ""))
        data = body.get("data")
        return data if isinstance(data, dict) else {}

    async def _refresh(self, creds: OaCredentials, tokens: ZaloTokens, *, stale_access: str) -> str:
        lock = self._refresh_locks.setdefault(creds.oa_id, asyncio.Lock())
        shared = getattr(tokens, "refresh_lock", None)  # DbTokens: a row lock across processes
        async with lock, shared() if shared else contextlib.nullcontext():
            access, refresh = await tokens.load()
            if access != stale_access:
                return access  # someone refreshed while we waited for the lock
            return await self.refresh_tokens(creds, tokens, refresh)

    async def refresh_tokens(
        self, creds: OaCredentials, tokens: ZaloTokens, refresh_token: str
    ) -> str:
        """Spend `refresh_token`, save the new pair, return the new access token."""
        try:
            resp = await self._http.post(
                f"{self.oauth_base}/v4/oa/access_token",
                headers={"secret_key": creds.secret_key},
                data={
                    "refresh_token": refresh_token,
                    "app_id": creds.app_id,
                    "grant_type": "refresh_token",
                },
            )
            body = resp.json()
        except httpx.HTTPError as exc:
            raise ZaloApiError(NETWORK_ERROR_CODE, f"refresh: {exc}", permanent=False) from exc
        except ValueError as exc:
            raise ZaloApiError(NETWORK_ERROR_CODE, "refresh: not JSON", permanent=False) from exc
        if not isinstance(body, dict):
            body = {}
        new_access, new_refresh = body.get("access_token"), body.get("refresh_token")
        if not isinstance(new_access, str) or not isinstance(new_refresh, str):
            code = _int_code(body.get("error")) or NETWORK_ERROR_CODE
            reason = body.get("error_description") or body.get("error_name") or body.get("message")
            # A refused refresh token does not heal by retrying: an admin must reconnect the OA.
            raise ZaloApiError(
                code, f"refresh failed: {reason}", permanent=resp.status_code < 500,
                http_status=resp.status_code,
            )  # fmt: skip
        expires = _int_code(body.get("expires_in")) or 0  # arrives as a string, e.g. "90000"
        await tokens.save(new_access, new_refresh, expires)
        log.info("Zalo OA %s: access token refreshed", creds.oa_id)
        return new_access

    # -- OA messages -----------------------------------------------------------------------------
    async def _send_cs(
        self,
        creds: OaCredentials,
        tokens: ZaloTokens,
        user_id: str,
        message: dict[str, Any],
        reply_to_msg_id: str | None,
    ) -> str:
        # Addressing the user's message id makes it a free "reply" in Zalo's quota (help centre);
        # otherwise address the user.
        recipient = {"message_id": reply_to_msg_id} if reply_to_msg_id else {"user_id": user_id}
        data = await self._call(
            creds, tokens, "POST", f"{self.openapi_base}/v3.0/oa/message/cs",
            json={"recipient": recipient, "message": message},
        )  # fmt: skip
        message_id = _json_id(data.get("message_id"))
        if message_id is None:
            raise ZaloApiError(NETWORK_ERROR_CODE, "no message_id in answer", permanent=False)
        return message_id

    async def send_message(
        self,
        creds: OaCredentials,
        tokens: ZaloTokens,
        user_id: str,
        message: dict[str, Any],
        *,
        reply_to_msg_id: str | None = None,
    ) -> str:
        """Send one rendered CS `message` object; returns Zalo's message_id."""
        return await self._send_cs(creds, tokens, user_id, message, reply_to_msg_id)

    async def send_text(
        self,
        creds: OaCredentials,
        tokens: ZaloTokens,
        user_id: str,
        text: str,
        *,
        reply_to_msg_id: str | None = None,
    ) -> str:
        """Send text, split over the limit; returns the last message_id."""
        ids = [
            await self._send_cs(creds, tokens, user_id, {"text": piece}, reply_to_msg_id)
            for piece in split_text(text, TEXT_LIMIT)
        ]
        return ids[-1]

    async def upload_image(
        self,
        creds: OaCredentials,
        tokens: ZaloTokens,
        data: bytes,
        filename: str = "image.png",
        content_type: str = "image/png",
    ) -> str:
        """Upload an image (still a v2.0 endpoint); returns the attachment_id to send."""
        result = await self._call(
            creds, tokens, "POST", f"{self.openapi_base}/v2.0/oa/upload/image",
            files={"file": (filename, data, content_type)},
        )  # fmt: skip
        attachment_id = _json_id(result.get("attachment_id"))
        if attachment_id is None:
            raise ZaloApiError(NETWORK_ERROR_CODE, "no attachment_id in answer", permanent=False)
        return attachment_id

    async def send_image(
        self,
        creds: OaCredentials,
        tokens: ZaloTokens,
        user_id: str,
        *,
        attachment_id: str | None = None,
        url: str | None = None,
        reply_to_msg_id: str | None = None,
    ) -> str:
        """Send an uploaded image (attachment_id) or one by URL."""
        element: dict[str, str] = {"media_type": "image"}
        if attachment_id:
            element["attachment_id"] = attachment_id
        elif url:
            element["url"] = url
        else:
            raise ValueError("send_image needs attachment_id or url")
        message = {
            "attachment": {
                "type": "template",
                "payload": {"template_type": "media", "elements": [element]},
            }
        }
        return await self._send_cs(creds, tokens, user_id, message, reply_to_msg_id)

    async def get_user_profile(
        self, creds: OaCredentials, tokens: ZaloTokens, user_id: str
    ) -> ZaloProfile:
        data = await self._call(
            creds, tokens, "GET", f"{self.openapi_base}/v3.0/oa/user/detail",
            params={"data": json.dumps({"user_id": user_id})},
        )  # fmt: skip
        name = data.get("display_name")
        avatar = data.get("avatar")
        follower = data.get("user_is_follower")
        return ZaloProfile(
            user_id=_json_id(data.get("user_id")) or user_id,
            display_name=name if isinstance(name, str) and name else None,
            avatar=avatar if isinstance(avatar, str) and avatar else None,
            is_follower=follower if isinstance(follower, bool) else None,
            raw=data,
        )

    # -- ZNS -------------------------------------------------------------------------------------
    async def send_zns(
        self,
        creds: OaCredentials,
        tokens: ZaloTokens,
        phone_84: str,
        template_id: str,
        template_data: dict[str, Any],
        tracking_id: str,
        *,
        development: bool = False,
    ) -> tuple[str, dict[str, Any]]:
        """Send an approved template to a phone ("84..." without "+"); returns (msg_id, quota).

        Delivery is confirmed later by a `user_received_message` webhook carrying `tracking_id`.
        """
        body: dict[str, Any] = {
            "phone": phone_84,
            "template_id": template_id,
            "template_data": template_data,
            "tracking_id": tracking_id,
        }
        if development:
            body["mode"] = "development"  # delivers only to the app's/OA's admins, free
        data = await self._call(
            creds, tokens, "POST", f"{self.zns_base}/message/template", json=body
        )
        msg_id = _json_id(data.get("msg_id"))
        if msg_id is None:
            raise ZaloApiError(NETWORK_ERROR_CODE, "no msg_id in answer", permanent=False)
        quota = data.get("quota")
        return msg_id, quota if isinstance(quota, dict) else {}


def _json_id(value: Any) -> str | None:
    if isinstance(value, str) and value:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None
