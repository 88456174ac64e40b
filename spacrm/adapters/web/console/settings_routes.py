"""Settings (#11): the bank account for VietQR, document prefixes, reminder times, the chat's
focus timeout; stored in the database over the environment's defaults (core/services/config.py)."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request, Response

from spacrm.adapters.web.console.common import done, failed, page_for, posted, render
from spacrm.core.errors import DomainError
from spacrm.core.permissions import can_manage_users
from spacrm.core.services import config
from spacrm.intents.texts import t

router = APIRouter()
PATH = "/console/settings"


@router.get(PATH)
async def settings_page(request: Request) -> Response:
    page = await page_for(request, can_manage_users)
    views = await config.list_settings(page.actor)
    groups = [(g, [v for v in views if v.group == g]) for g in config.GROUPS]
    return render(request, "settings.html", actor=page.actor, csrf=page.csrf, groups=groups)


@router.post(PATH + "/{key}")
async def change(request: Request, key: str, value: str = Form("")) -> Response:
    page = await posted(request, can_manage_users)
    try:
        await config.change_setting(page.actor, key=key, value=value)
    except DomainError as exc:
        return failed(request, page, PATH, exc)
    label = t(page.lang, f"console.setting.{key}")
    return done(request, PATH, t(page.lang, "console.saved", what=label))


@router.post(PATH + "/{key}/reset")
async def reset(request: Request, key: str) -> Response:
    page = await posted(request, can_manage_users)
    try:
        await config.reset_setting(page.actor, key=key)
    except DomainError as exc:
        return failed(request, page, PATH, exc)
    label = t(page.lang, f"console.setting.{key}")
    return done(request, PATH, t(page.lang, "console.reset_done", what=label))
