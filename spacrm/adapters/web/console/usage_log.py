"""The console's side of the usage log (#33): every form post of a signed-in user is one usage
row — who, which action (the route), and what its saves created or changed (core/changes.py).

A pure ASGI middleware, so the route runs inside the tracking context. The actor is the one the
route signed in with (`current` leaves it in the request state): no second session lookup. A
refused post (an error status, or `failed`'s flash) rolled back: its notes are dropped.
"""

from __future__ import annotations

from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from spacrm.core import changes
from spacrm.core.services import usage


class ConsoleUsage:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope.get("method") != "POST"
            or not str(scope.get("path", "")).startswith("/console/")
        ):
            await self.app(scope, receive, send)
            return
        logged = False

        async def sending(message: Message) -> None:
            nonlocal logged
            if message["type"] == "http.response.start" and not logged:
                # Before the headers: a redirect is complete for the client once they arrive
                # (Content-Length 0), so whoever reads the log after the answer finds the row.
                logged = True
                await _log(scope, int(message["status"]), noted)
            await send(message)

        with changes.tracking() as noted:
            await self.app(scope, receive, sending)  # an exception: no row (nothing was done)


async def _log(scope: Scope, status: int, noted: changes.Changes) -> None:
    state: dict[str, Any] = scope.get("state") or {}
    actor = state.get("usage_actor")
    if actor is None:  # signing in, or not signed in
        return
    if status >= 400 or state.get("usage_failed"):
        noted.discard()
    action = state.get("usage_action") or _route_name(scope.get("endpoint"))
    await usage.record(actor.user_id, source="console", channel="console", action=str(action),
                       changes=noted)  # fmt: skip


def _route_name(endpoint: Any) -> str:
    """catalog_routes.save → "catalog.save": the screen and the action."""
    name = getattr(endpoint, "__name__", "")
    if not name:
        return "post"
    area = str(getattr(endpoint, "__module__", "")).rsplit(".", 1)[-1].removesuffix("_routes")
    return f"{area}.{name}" if area else name
