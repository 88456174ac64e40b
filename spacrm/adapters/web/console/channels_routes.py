"""Customer channels (#11): Facebook pages (at most 3), the Zalo OA, the website widget, and who
answers each one's customers (round-robin). Tokens are written, never shown back. Admin only."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request, Response

from spacrm.adapters.web.console.common import done, failed, page_for, posted, render
from spacrm.core.errors import DomainError
from spacrm.core.permissions import can_manage_users
from spacrm.core.services import channels, users
from spacrm.intents.texts import t

router = APIRouter()
PATH = "/console/channels"


def _logins(text: str) -> list[str]:
    return [x for x in text.replace(",", " ").split() if x][:50]


@router.get(PATH)
async def channels_page(request: Request) -> Response:
    page = await page_for(request, can_manage_users)
    rows = await channels.list_channels()
    ids = sorted({i for c in rows for i in c.assignees})
    logins = await users.logins_by_id(ids)
    shown = [
        {"channel": c, "assignees": " ".join(logins.get(i, "?") for i in c.assignees)} for c in rows
    ]
    # the connect form's picker: (kind, "Facebook (≤ 3)") pairs for macros.html `options`
    kinds = [
        (k, f"{t(page.lang, 'console.kind.' + k)} (≤ {n})") for k, n in channels.LIMITS.items()
    ]
    return render(request, "channels.html", actor=page.actor, csrf=page.csrf, rows=shown,
                  kinds=kinds)  # fmt: skip


@router.post(PATH)
async def connect(
    request: Request,
    kind: str = Form(""),
    external_id: str = Form(""),
    name: str = Form(""),
    access_token: str = Form(""),
    secret_key: str = Form(""),
    refresh_token: str = Form(""),
    assignees: str = Form(""),
) -> Response:
    page = await posted(request, can_manage_users)
    try:
        channel, created = await channels.connect(
            page.actor, kind=kind, external_id=external_id, name=name,
            access_token=access_token, secret_key=secret_key, refresh_token=refresh_token,
            assignee_logins=_logins(assignees),
        )  # fmt: skip
    except DomainError as exc:
        return failed(request, page, PATH, exc)
    key = "console.channel_added" if created else "console.channel_updated"
    return done(request, PATH, t(page.lang, key, name=channel.name or channel.external_id))


@router.post(PATH + "/{channel_id:int}/assignees")
async def assignees(request: Request, channel_id: int, logins: str = Form("")) -> Response:
    page = await posted(request, can_manage_users)
    try:
        await channels.set_assignees(page.actor, channel_id=channel_id, logins=_logins(logins))
    except DomainError as exc:
        return failed(request, page, PATH, exc)
    return done(request, PATH, t(page.lang, "console.assignees_saved"))


@router.post(PATH + "/{channel_id:int}/remove")
async def remove(request: Request, channel_id: int) -> Response:
    page = await posted(request, can_manage_users)
    try:
        channel = await channels.disconnect(page.actor, channel_id=channel_id)
    except DomainError as exc:
        return failed(request, page, PATH, exc)
    return done(
        request,
        PATH,
        t(page.lang, "console.channel_removed", name=channel.name or channel.external_id),
    )
