"""What every console page shares: the signer, rate limits, templates, and the signed-in actor."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import Request, Response
from fastapi.templating import Jinja2Templates

from spacrm.adapters.app.runtime import Runtime
from spacrm.adapters.web.console.security import (
    PRE_COOKIE,
    SESSION_COOKIE,
    RateLimiter,
    Signer,
)
from spacrm.core.actors import Actor
from spacrm.core.services.console_auth import actor_for_session
from spacrm.intents.format import money
from spacrm.intents.texts import t

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.globals["money"] = money


@dataclass
class Console:
    runtime: Runtime
    signer: Signer
    # Password tries: per login (slow guessing of one account) and per client address (spraying).
    per_login: RateLimiter = field(default_factory=lambda: RateLimiter(10, 15 * 60))
    per_address: RateLimiter = field(default_factory=lambda: RateLimiter(30, 15 * 60))


def console_of(request: Request) -> Console:
    console: Console = request.app.state.console
    return console


def client_address(request: Request) -> str:
    return request.client.host if request.client else "?"


def lang_of(actor: Actor | None) -> str:
    return actor.lang if actor is not None else "vi"


async def current(request: Request) -> tuple[Actor | None, str]:
    """The signed-in actor (None if not signed in) and the raw session token."""
    token = console_of(request).signer.unsign("session", request.cookies.get(SESSION_COOKIE))
    if token is None:
        return None, ""
    return await actor_for_session(token), token


def csrf_anchor(request: Request, session_token: str = "") -> str | None:
    """Forms of a signed-in user are bound to the session, sign-in forms to the "pre" cookie."""
    if session_token:
        return session_token
    return console_of(request).signer.unsign("pre", request.cookies.get(PRE_COOKIE))


def render(
    request: Request,
    name: str,
    *,
    actor: Actor | None,
    csrf: str,
    status_code: int = 200,
    **context: Any,
) -> Response:
    lang = lang_of(actor)

    def tr(key: str, **params: Any) -> str:
        return t(lang, key, **params)

    return templates.TemplateResponse(
        request,
        name,
        {"actor": actor, "csrf": csrf, "tr": tr, "lang": lang, **context},
        status_code=status_code,
        headers={"Cache-Control": "no-store"},
    )
