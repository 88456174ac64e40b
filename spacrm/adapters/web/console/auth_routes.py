"""Sign-in (#10): login or email + password → a 6-digit code by email → a session; logout."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from spacrm.adapters.web.console.common import (
    client_address,
    console_of,
    csrf_anchor,
    current,
    render,
)
from spacrm.adapters.web.console.security import (
    PENDING_COOKIE,
    PRE_COOKIE,
    SESSION_COOKIE,
    clear_cookie,
    set_cookie,
)
from spacrm.core.errors import DomainError
from spacrm.core.services import console_auth
from spacrm.intents.texts import t

router = APIRouter()
PENDING_SECONDS = 10 * 60


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _login_page(request: Request, *, error: str = "", status_code: int = 200) -> Response:
    """The password form; gives the browser a "pre" cookie to bind the form's CSRF token to."""
    console = console_of(request)
    anchor = csrf_anchor(request)
    fresh = anchor is None
    if anchor is None:
        anchor = secrets.token_urlsafe(24)
    response = render(
        request,
        "login.html",
        actor=None,
        csrf=console.signer.csrf_for(anchor),
        error=error,
        status_code=status_code,
    )
    if fresh:
        set_cookie(response, request, PRE_COOKIE, console.signer.sign("pre", anchor), 3600)
    return response


def _code_page(
    request: Request, *, email: str = "", error: str = "", status: int = 200
) -> Response:
    anchor = csrf_anchor(request) or ""
    return render(
        request,
        "code.html",
        actor=None,
        csrf=console_of(request).signer.csrf_for(anchor),
        email=email,
        error=error,
        status_code=status,
    )


@router.get("/console")
async def home(request: Request) -> Response:
    actor, _ = await current(request)
    return _redirect("/console/leads" if actor else "/console/login")


@router.get("/console/login")
async def login_form(request: Request) -> Response:
    actor, _ = await current(request)
    if actor is not None:
        return _redirect("/console/leads")
    return _login_page(request)


@router.post("/console/login")
async def login_submit(
    request: Request,
    login: str = Form(""),
    password: str = Form(""),
    csrf: str = Form(""),
) -> Response:
    console = console_of(request)
    if not console.signer.csrf_ok(csrf_anchor(request), csrf):
        return _login_page(request, error=t("vi", "console.csrf"), status_code=403)
    key = login.strip().lower()[:200]
    if not console.per_address.allow(client_address(request)) or not console.per_login.allow(key):
        return _login_page(request, error=t("vi", "console.too_many"), status_code=429)
    nonce = secrets.token_urlsafe(24)
    try:
        masked = await console_auth.start_sign_in(
            login,
            password,
            nonce=nonce,
            subject=t("vi", "console.code_subject"),
            body_template=t("vi", "console.code_body"),
        )
    except DomainError:
        return _login_page(request, error=t("vi", "console.failed"), status_code=400)
    console.runtime.dispatcher.kick()
    response = _redirect("/console/code")
    set_cookie(
        response,
        request,
        PENDING_COOKIE,
        console.signer.sign("pending", f"{nonce}|{masked}"),
        PENDING_SECONDS,
    )
    return response


def _pending(request: Request) -> tuple[str, str] | None:
    raw = console_of(request).signer.unsign("pending", request.cookies.get(PENDING_COOKIE))
    if raw is None:
        return None
    nonce, _, masked = raw.partition("|")
    return nonce, masked


@router.get("/console/code")
async def code_form(request: Request) -> Response:
    pending = _pending(request)
    if pending is None or csrf_anchor(request) is None:
        return _redirect("/console/login")
    return _code_page(request, email=pending[1])


@router.post("/console/code")
async def code_submit(request: Request, code: str = Form(""), csrf: str = Form("")) -> Response:
    console = console_of(request)
    pending = _pending(request)
    if pending is None:
        return _redirect("/console/login")
    if not console.signer.csrf_ok(csrf_anchor(request), csrf):
        return _code_page(request, email=pending[1], error=t("vi", "console.csrf"), status=403)
    if not console.per_address.allow(client_address(request)):
        return _code_page(request, email=pending[1], error=t("vi", "console.too_many"), status=429)
    try:
        token, _actor = await console_auth.finish_sign_in(pending[0], code[:20])
    except DomainError:
        return _code_page(request, email=pending[1], error=t("vi", "console.failed"), status=400)
    response = _redirect("/console/leads")
    set_cookie(
        response,
        request,
        SESSION_COOKIE,
        console.signer.sign("session", token),
        console_auth.SESSION_HOURS * 3600,
    )
    clear_cookie(response, PENDING_COOKIE)
    clear_cookie(response, PRE_COOKIE)
    return response


@router.post("/console/logout")
async def logout(request: Request, csrf: str = Form("")) -> Response:
    console = console_of(request)
    _, token = await current(request)
    if not token or not console.signer.csrf_ok(token, csrf):
        return Response(t("vi", "console.csrf"), status_code=403, media_type="text/plain")
    await console_auth.end_session(token)
    response = _redirect("/console/login")
    clear_cookie(response, SESSION_COOKIE)
    return response
