"""The all-in-one lead view (#22) and its attachments: upload (20 MB, type checked against the
bytes) and download (served as a download, never rendered inline)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from fastapi.responses import RedirectResponse

from spacrm.adapters.web.console.common import console_of, current, flash_url, lang_of, render
from spacrm.bot.errors import error_text
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.permissions import record_id
from spacrm.core.services.attachments import MAX_BYTES, read_attachment
from spacrm.core.services.lead_view import attach_checked, lead_view
from spacrm.intents.texts import t

router = APIRouter()


def _not_found(lang: str) -> Response:
    return Response(
        t(lang, "err.not_found"), status_code=404, media_type="text/plain; charset=utf-8"
    )


@router.get("/console/leads/{raw_id}")
async def card(request: Request, raw_id: str) -> Response:
    actor, token = await current(request)
    if actor is None:
        return RedirectResponse("/console/login", status_code=303)
    lang = lang_of(actor)
    lead_id = record_id(raw_id)
    if lead_id is None:
        return _not_found(lang)
    try:
        view = await lead_view(actor, lead_id)
    except DomainError:
        return _not_found(lang)  # another team's customer looks exactly like no customer
    return render(
        request,
        "card.html",
        actor=actor,
        csrf=console_of(request).signer.csrf_for(token),
        v=view,
    )


@router.post("/console/leads/{raw_id}/attachments")
async def upload(
    request: Request, raw_id: str, file: Annotated[UploadFile, File()], csrf: str = Form("")
) -> Response:
    actor, token = await current(request)
    if actor is None:
        return RedirectResponse("/console/login", status_code=303)
    lang = lang_of(actor)
    lead_id = record_id(raw_id)
    if lead_id is None:
        return _not_found(lang)
    if not console_of(request).signer.csrf_ok(token, csrf):
        return Response(
            t(lang, "console.csrf"), status_code=403, media_type="text/plain; charset=utf-8"
        )
    name = (file.filename or "file")[:200]
    content = await file.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        return _back(request, lead_id, t(lang, "cs.too_big"), bad=True)
    try:
        att = await attach_checked(actor, lead_id, name, content)
    except DomainError as exc:
        if exc.code == ErrorCode.NOT_FOUND:
            return _not_found(lang)
        text = (
            t(lang, "cs.bad_file", name=name)
            if exc.code == ErrorCode.INVALID_VALUE
            else error_text(exc, lang)
        )
        return _back(request, lead_id, text, bad=True)
    return _back(request, lead_id, t(lang, "cs.attached", name=att.filename))


def _back(request: Request, lead_id: int, msg: str, *, bad: bool = False) -> Response:
    # The message travels signed (common.flash_url): a link made elsewhere shows nothing.
    return RedirectResponse(flash_url(request, f"/console/leads/{lead_id}", msg, bad=bad), 303)


@router.get("/console/attachments/{raw_id}")
async def download(request: Request, raw_id: str) -> Response:
    actor, _ = await current(request)
    if actor is None:
        return RedirectResponse("/console/login", status_code=303)
    lang = lang_of(actor)
    att_id = record_id(raw_id)
    if att_id is None:
        return _not_found(lang)
    try:
        att, content = await read_attachment(actor, att_id)
    except (DomainError, FileNotFoundError):
        return _not_found(lang)
    return Response(
        content,
        media_type=att.content_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(att.filename)}",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "no-store",
        },
    )
