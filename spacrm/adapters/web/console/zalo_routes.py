"""Connecting the Zalo OA by OAuth (#11): "Kết nối Zalo OA" sends the admin to Zalo's permission
page (PKCE, adapters/zalo/oauth.py); Zalo sends them back here with a code, exchanged for the OA's
tokens, stored on the channel (refreshed on expiry by the Zalo client). The verifier, the state
and the form's values wait in a signed HttpOnly cookie for ten minutes. Admin only."""

from __future__ import annotations

import base64
import json
import secrets

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from spacrm.adapters.web.console.common import console_of, done, failed, page_for, posted
from spacrm.adapters.web.console.security import clear_cookie, set_cookie
from spacrm.adapters.zalo import oauth
from spacrm.core.errors import DomainError
from spacrm.core.permissions import can_manage_users
from spacrm.core.services import channels
from spacrm.intents.texts import t

router = APIRouter()
PATH = "/console/channels"
COOKIE = "spc_zalo_oauth"
WAIT_S = 600


def _callback_url(request: Request) -> str:
    return str(request.base_url).rstrip("/") + PATH + "/zalo/callback"


@router.post(PATH + "/zalo/connect")
async def connect(
    request: Request, app_id: str = Form(""), name: str = Form(""), assignees: str = Form("")
) -> Response:
    page = await posted(request, can_manage_users)
    app_id = app_id.strip()
    if not app_id.isdigit() or len(app_id) > 40:
        return done(request, PATH, t(page.lang, "console.zalo_app_id"), bad=True)
    settings = console_of(request).runtime.settings
    verifier, state = oauth.new_verifier(), secrets.token_urlsafe(24)
    waiting = {"v": verifier, "s": state, "a": app_id, "n": name.strip()[:120],
               "l": assignees[:1000]}  # fmt: skip
    value = base64.urlsafe_b64encode(json.dumps(waiting).encode()).decode()
    url = oauth.permission_url(
        settings.zalo_oauth_base, app_id=app_id, redirect_uri=_callback_url(request),
        verifier=verifier, state=state,
    )  # fmt: skip
    response = RedirectResponse(url, status_code=303)
    signed = console_of(request).signer.sign("zalo-oauth", value)
    set_cookie(response, request, COOKIE, signed, WAIT_S)
    return response


@router.get(PATH + "/zalo/callback")
async def callback(request: Request, code: str = "", oa_id: str = "", state: str = "") -> Response:
    page = await page_for(request, can_manage_users)
    console = console_of(request)
    value = console.signer.unsign("zalo-oauth", request.cookies.get(COOKIE))
    try:
        waiting = json.loads(base64.urlsafe_b64decode(value or "")) if value else {}
    except ValueError:
        waiting = {}
    # Another tab's flow, an expired one, or a link made elsewhere: nothing is exchanged.
    if not isinstance(waiting, dict) or not state or waiting.get("s") != state or not code:
        return done(request, PATH, t(page.lang, "console.zalo_state"), bad=True)
    settings = console.runtime.settings
    response: Response
    secret = settings.zalo_app_secret.get_secret_value() if settings.zalo_app_secret else ""
    try:
        tokens = await oauth.exchange_code(
            settings.zalo_oauth_base, app_id=str(waiting["a"]), secret_key=secret,
            code=code[:500], verifier=str(waiting["v"]),
        )  # fmt: skip
        channel, _ = await channels.connect(
            page.actor, kind="zalo", external_id=oa_id[:80], name=str(waiting.get("n") or ""),
            access_token=tokens.access_token, refresh_token=tokens.refresh_token,
            app_id=str(waiting["a"]),
            assignee_logins=str(waiting.get("l") or "").replace(",", " ").split()[:50],
        )  # fmt: skip
        await channels.save_zalo_tokens(
            channel.id, tokens.access_token, tokens.refresh_token, tokens.expires_in_s
        )
    except oauth.OAuthError as exc:
        text = t(page.lang, "console.zalo_refused", reason=str(exc))
        response = done(request, PATH, text, bad=True)
    except DomainError as exc:
        response = failed(request, page, PATH, exc)
    else:
        name = channel.name or channel.external_id
        response = done(request, PATH, t(page.lang, "console.zalo_connected", name=name))
    clear_cookie(response, COOKIE)
    return response
