"""What every console page shares: the signer, rate limits, templates, and the signed-in actor."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request, Response
from fastapi.responses import RedirectResponse
from fastapi.templating import Jinja2Templates

from spacrm.adapters.app.runtime import Runtime
from spacrm.adapters.web.console.security import (
    PRE_COOKIE,
    SESSION_COOKIE,
    RateLimiter,
    Signer,
)
from spacrm.bot.customer_engine import KnowledgeCache
from spacrm.bot.errors import error_text
from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.permissions import can_approve_knowledge, can_manage_users
from spacrm.core.services.console_auth import actor_for_session
from spacrm.intents.format import money
from spacrm.intents.texts import t

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.globals["money"] = money
# The menu shows a screen only to whom core lets use it (the screens check again).
templates.env.globals["can_manage"] = can_manage_users
templates.env.globals["can_teach"] = can_approve_knowledge


@dataclass
class Console:
    runtime: Runtime
    signer: Signer
    # Password tries: per login (slow guessing of one account) and per client address (spraying).
    per_login: RateLimiter = field(default_factory=lambda: RateLimiter(10, 15 * 60))
    per_address: RateLimiter = field(default_factory=lambda: RateLimiter(30, 15 * 60))
    # The Q&A screen's "try a question" answers from the approved pairs like the customer bot.
    knowledge: KnowledgeCache = field(default_factory=KnowledgeCache.empty)


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
    actor = await actor_for_session(token)
    request.state.usage_actor = actor  # for the usage log of a post (usage_log.py)
    return actor, token


def csrf_anchor(request: Request, session_token: str = "") -> str | None:
    """Forms of a signed-in user are bound to the session, sign-in forms to the "pre" cookie."""
    if session_token:
        return session_token
    return console_of(request).signer.unsign("pre", request.cookies.get(PRE_COOKIE))


# Codes the console shows as the chat does, through its texts (key = prefix + code).
CODE_TEXTS = {
    "lead.stage": "stage.",
    "deal.stage": "deal.stage.",
    "order.status": "order.status.",
    "case.status": "case.status.",
    "course.status": "course.status.",
    "appointment.status": "appt.status.",
    "activity.kind": "kind.",
}


def code_label(lang: str, what: str, code: str | None) -> str:
    """The label of `code` (an order status, a deal stage…); a code without a text shows as is."""
    if not code or what not in CODE_TEXTS:
        return code or ""
    key = CODE_TEXTS[what] + code
    text = t(lang, key)
    return code if text == key else text


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

    def label(what: str, code: str | None) -> str:
        return code_label(lang, what, code)

    flash, flash_bad = flash_of(request)
    values = {"actor": actor, "csrf": csrf, "tr": tr, "label": label, "lang": lang, "flash": flash,
              "flash_bad": flash_bad, "path": request.url.path}  # fmt: skip
    return templates.TemplateResponse(
        request,
        name,
        {**values, **context},
        status_code=status_code,
        headers={"Cache-Control": "no-store"},
    )


# -- configuration screens (#11): who may open a page, CSRF on every post, signed flash messages --


MAX_ID = 2**31 - 1


class Refused(Exception):
    """Ends a request with `response` (sign-in redirect, 403, 404); the app turns it back into
    the response (mount_console), so a route reads as its happy path."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


@dataclass(frozen=True)
class Page:
    actor: Actor
    token: str
    csrf: str

    @property
    def lang(self) -> str:
        return self.actor.lang


def everyone(actor: Actor) -> bool:
    return True


def message_page(
    request: Request, actor: Actor | None, csrf: str, text: str, status: int
) -> Response:
    return render(request, "message.html", actor=actor, csrf=csrf, text=text, status_code=status)


async def page_for(request: Request, allowed: Callable[[Actor], bool] = everyone) -> Page:
    """The signed-in user allowed on this screen; else the sign-in page (not signed in) or 403."""
    actor, token = await current(request)
    if actor is None:
        raise Refused(RedirectResponse("/console/login", status_code=303))
    csrf = console_of(request).signer.csrf_for(token)
    if not allowed(actor):
        raise Refused(message_page(request, actor, csrf, t(actor.lang, "err.forbidden"), 403))
    page = Page(actor, token, csrf)
    # An id no database column can hold is simply not found (PostgreSQL would fail the query).
    if any(isinstance(v, int) and not 0 < v <= MAX_ID for v in request.path_params.values()):
        raise not_found(request, page)
    return page


async def posted(request: Request, allowed: Callable[[Actor], bool] = everyone) -> Page:
    """`page_for` for a form post, which must carry the session's CSRF token (else 403, nothing
    done). Starlette caches the parsed form, so the route's Form(...) parameters still work."""
    page = await page_for(request, allowed)
    form = await request.form()
    token = form.get("csrf")
    if not console_of(request).signer.csrf_ok(
        page.token, token if isinstance(token, str) else None
    ):
        raise Refused(
            message_page(request, page.actor, page.csrf, t(page.lang, "console.csrf"), 403)
        )
    return page


def not_found(request: Request, page: Page) -> Refused:
    """Another scope's (or no) record: the same page as a wrong URL."""
    text = t(page.lang, "err.not_found")
    return Refused(message_page(request, page.actor, page.csrf, text, 404))


def flash_url(request: Request, path: str, text: str, *, bad: bool = False) -> str:
    """`path` with a message to show once. It is signed: a link made elsewhere cannot put its
    own words on our page (a forged or edited `msg` shows nothing)."""
    value = ("!" if bad else "") + text[:300]
    query = urlencode({"msg": console_of(request).signer.sign("flash", value)})
    path, hash_mark, fragment = path.partition("#")  # the fragment goes last: "…?msg=…#kpi"
    return path + ("&" if "?" in path else "?") + query + hash_mark + fragment


def flash_of(request: Request) -> tuple[str, bool]:
    """The signed message of this URL (text, is it an error); ("", False) when absent or forged."""
    value = console_of(request).signer.unsign("flash", request.query_params.get("msg"))
    if not value:
        return "", False
    return value.removeprefix("!"), value.startswith("!")


def done(request: Request, path: str, text: str, *, bad: bool = False) -> RedirectResponse:
    """Back to `path` (post → redirect → get) with a message: what was done, or why not."""
    return RedirectResponse(flash_url(request, path, text, bad=bad), status_code=303)


def failed(request: Request, page: Page, path: str, exc: DomainError) -> Response:
    """A refused change: the URL's record not found is a 404 (core names a referenced thing that
    is missing with `what=`: that is a bad form value); anything else goes back with the reason."""
    request.state.usage_failed = True  # rolled back: nothing to count as changed (usage_log.py)
    if exc.code == ErrorCode.NOT_FOUND and "what" not in exc.params:
        raise not_found(request, page)
    url = flash_url(request, path, error_text(exc, page.lang), bad=True)
    return RedirectResponse(url, status_code=303)


def page_number(text: str) -> int:
    """A `?page=` value: a bad or missing one is the first page (never a 422 page)."""
    return int(text) if text.isdigit() and len(text) <= 6 else 1
