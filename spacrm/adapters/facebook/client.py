"""Outbound Messenger Send API over httpx. Every request goes through `_request`.

Errors become `FacebookSendError` with a `permanent` verdict so the outbox knows whether to retry
and an `outside_window` flag so the caller can fall back (HUMAN_AGENT tag, another channel, or
telling staff the customer must write first).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import httpx

from spacrm.adapters.facebook.render import ButtonSpec, render_text, split_text
from spacrm.adapters.owned_http import OwnedHttp

log = logging.getLogger(__name__)

OUTSIDE_WINDOW_CODE = 10
OUTSIDE_WINDOW_SUBCODE = 2018278
# 190 token, 551 user unavailable, 100 bad parameter, 10 permission/window, 200 permissions.
PERMANENT_CODES = frozenset({190, 551, 100, 10, 200})
# 2 temporary, 4/32/613 rate limits ([3rd/memory] for 613), 1 unknown (Graph says retry).
TEMPORARY_CODES = frozenset({1, 2, 4, 17, 32, 341, 613})
NETWORK_ERROR_CODE = -1  # our own code for "no usable answer from Graph"


class FacebookSendError(Exception):
    def __init__(
        self,
        code: int,
        subcode: int | None,
        message: str,
        *,
        permanent: bool,
        outside_window: bool = False,
        http_status: int | None = None,
    ) -> None:
        super().__init__(f"Graph error {code}/{subcode}: {message}")
        self.code = code
        self.subcode = subcode
        self.message = message
        self.permanent = permanent
        self.outside_window = outside_window
        self.http_status = http_status


def classify_error(status: int, body: Any) -> FacebookSendError:
    """Turn a Graph error answer into our error with the retry verdict."""
    err = body.get("error") if isinstance(body, dict) else None
    err = err if isinstance(err, dict) else {}
    code = err.get("code")
    code = code if isinstance(code, int) else NETWORK_ERROR_CODE
    subcode = err.get("error_subcode")
    subcode = subcode if isinstance(subcode, int) else None
    message = str(err.get("message") or f"HTTP {status}")
    outside = code == OUTSIDE_WINDOW_CODE and subcode == OUTSIDE_WINDOW_SUBCODE
    if status >= 500 or status == 429 or code in TEMPORARY_CODES or err.get("is_transient") is True:
        permanent = False
    elif code in PERMANENT_CODES:
        permanent = True
    else:
        # Graph answers 4xx for the caller's mistakes and flags the transient ones (handled
        # above), so retrying an unknown 4xx would only repeat the same refusal.
        permanent = 400 <= status < 500
    return FacebookSendError(
        code, subcode, message, permanent=permanent, outside_window=outside, http_status=status
    )


class FacebookClient(OwnedHttp):
    def __init__(
        self,
        graph_base: str = "https://graph.facebook.com",
        api_version: str = "v25.0",
        timeout: float = 10,
        *,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        self.graph_base = graph_base.rstrip("/")
        self.api_version = api_version
        self._http = http or httpx.AsyncClient(timeout=timeout)
        self._owns_http = http is None

    async def _request(
        self,
        method: str,
        path: str,
        token: str,
        *,
        params: dict[str, str] | None = None,
        json: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The one place that talks to Graph. The token goes as a query parameter (documented
        form); it is never logged."""
        url = f"{self.graph_base}/{self.api_version}/{path.lstrip('/')}"
        query = {**(params or {}), "access_token": token}
        try:
            resp = await self._http.request(method, url, params=query, json=json)
        except httpx.HTTPError as exc:
            raise FacebookSendError(
                NETWORK_ERROR_CODE, None, f"{type(exc).__name__}: {exc}", permanent=False
            ) from exc
        try:
            body = resp.json()
        except ValueError:
            body = None
        if resp.status_code >= 400 or not isinstance(body, dict) or "error" in body:
            raise classify_error(resp.status_code if resp.status_code >= 400 else 500, body)
        return body

    async def _post(self, path: str, token: str, json: dict[str, Any]) -> dict[str, Any]:
        return await self._request("POST", path, token, json=json)

    async def send_message(
        self,
        page_id: str,
        page_token: str,
        psid: str,
        message: dict[str, Any],
        *,
        human_agent_tag: bool = False,
    ) -> str:
        """Send one already-rendered `message` object; returns Graph's message_id."""
        body: dict[str, Any] = {"recipient": {"id": psid}, "message": message}
        if human_agent_tag:
            # A human reply between 24 h and 7 days after the user's last message.
            body["messaging_type"] = "MESSAGE_TAG"
            body["tag"] = "HUMAN_AGENT"
        else:
            body["messaging_type"] = "RESPONSE"
        # Page id in the path, not /me: tokens are per page and a mix-up should fail loudly.
        result = await self._post(f"{page_id}/messages", page_token, body)
        mid = result.get("message_id")
        if not isinstance(mid, str):
            raise FacebookSendError(
                NETWORK_ERROR_CODE, None, "no message_id in answer", permanent=False
            )
        return mid

    async def send_messages(
        self,
        page_id: str,
        page_token: str,
        psid: str,
        messages: Sequence[dict[str, Any]],
        *,
        human_agent_tag: bool = False,
    ) -> list[str]:
        """Send rendered messages in order; stops at the first error (the caller's outbox retries)."""
        return [
            await self.send_message(page_id, page_token, psid, m, human_agent_tag=human_agent_tag)
            for m in messages
        ]

    async def send_text(
        self,
        page_id: str,
        page_token: str,
        psid: str,
        text: str,
        *,
        human_agent_tag: bool = False,
    ) -> str:
        """Send text, split into several messages if over the limit; returns the last message_id."""
        messages = [{"text": piece} for piece in split_text(text)]
        ids = await self.send_messages(
            page_id, page_token, psid, messages, human_agent_tag=human_agent_tag
        )
        return ids[-1]

    async def send_quick_replies(
        self,
        page_id: str,
        page_token: str,
        psid: str,
        text: str,
        buttons: Sequence[Sequence[ButtonSpec]],
        *,
        human_agent_tag: bool = False,
    ) -> str:
        """Text with quick-reply buttons (under the last piece); returns the last message_id."""
        ids = await self.send_messages(
            page_id, page_token, psid, render_text(text, buttons), human_agent_tag=human_agent_tag
        )
        return ids[-1]

    async def get_user_name(self, psid: str, page_token: str) -> str | None:
        """The user's display name, or None. Best effort: Graph often withholds profile fields."""
        try:
            data = await self._request(
                "GET", psid, page_token, params={"fields": "first_name,last_name"}
            )
        except FacebookSendError as exc:
            log.info("Messenger profile lookup failed: %s", exc)
            return None
        parts = [data.get("first_name"), data.get("last_name")]
        name = " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())
        return name or None
