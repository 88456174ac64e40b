"""What every unauthenticated request meets before a handler: a body size limit, a JSON parser
that never raises, the client's address, and short log excerpts. Anything malformed is a 4xx
(or, for provider webhooks, an acknowledged 200), never a 500."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Telegram updates and Zalo events are a few KB; Messenger batches stay far below this. A larger
# body is refused before it is read into memory.
MAX_BODY = 1_000_000
LOG_EXCERPT = 300


class BodyLimit:
    """413 for a request body over `limit` bytes, by Content-Length or while it streams."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > self.limit
                except ValueError:
                    too_big = True
                if too_big:
                    await _too_large(send)
                    return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _BodyTooLarge:
            if not started:
                await _too_large(send)


class _BodyTooLarge(Exception):
    pass


async def _too_large(send: Send) -> None:
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"text/plain; charset=utf-8")]})  # fmt: skip
    await send({"type": "http.response.body", "body": b"Request body too large"})


def parse_json(raw: bytes) -> Any | None:
    """The JSON value, or None for anything that is not valid JSON: bad UTF-8, syntax errors,
    and nesting too deep for the parser (RecursionError, which json.loads does not wrap)."""
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        return None


def client_address(request: Request) -> str:
    """The visitor's address. Behind a reverse proxy on this machine, uvicorn's proxy-headers
    support (on by default for 127.0.0.1) has already replaced it with X-Forwarded-For."""
    return request.client.host if request.client else "unknown"


def excerpt(value: object, limit: int = LOG_EXCERPT) -> str:
    """A log-safe excerpt: a 5 MB unknown update is logged as its first few hundred characters."""
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} chars)"
