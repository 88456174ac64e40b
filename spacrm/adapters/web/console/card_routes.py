"""The all-in-one lead view (#22) and its attachments: upload (20 MB, type checked against the
bytes) and download (served as a download, never rendered inline)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Request, Response, UploadFile

from spacrm.adapters.web.console.common import done, not_found, page_for, posted, render
from spacrm.bot.errors import error_text
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.permissions import record_id
from spacrm.core.services.attachments import MAX_BYTES, read_attachment
from spacrm.core.services.lead_view import attach_checked, lead_view
from spacrm.intents.texts import t

router = APIRouter()


@router.get("/console/leads/{raw_id}")
async def card(request: Request, raw_id: str) -> Response:
    page = await page_for(request)
    lead_id = record_id(raw_id)
    try:
        if lead_id is None:
            raise DomainError(ErrorCode.NOT_FOUND)
        view = await lead_view(page.actor, lead_id)
    except DomainError:
        raise not_found(request, page) from None  # another team's customer looks like none
    return render(request, "card.html", actor=page.actor, csrf=page.csrf, v=view)


@router.post("/console/leads/{raw_id}/attachments")
async def upload(request: Request, raw_id: str, file: Annotated[UploadFile, File()]) -> Response:
    page = await posted(request)
    lang = page.lang
    lead_id = record_id(raw_id)
    if lead_id is None:
        raise not_found(request, page)
    back = f"/console/leads/{lead_id}"  # the message travels signed (common.flash_url)
    name = (file.filename or "file")[:200]
    content = await file.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        return done(request, back, t(lang, "cs.too_big"), bad=True)
    try:
        att = await attach_checked(page.actor, lead_id, name, content)
    except DomainError as exc:
        if exc.code == ErrorCode.NOT_FOUND:
            raise not_found(request, page) from None
        text = (
            t(lang, "cs.bad_file", name=name)
            if exc.code == ErrorCode.INVALID_VALUE
            else error_text(exc, lang)
        )
        return done(request, back, text, bad=True)
    return done(request, back, t(lang, "cs.attached", name=att.filename))


@router.get("/console/attachments/{raw_id}")
async def download(request: Request, raw_id: str) -> Response:
    page = await page_for(request)
    att_id = record_id(raw_id)
    try:
        if att_id is None:
            raise DomainError(ErrorCode.NOT_FOUND)
        att, content = await read_attachment(page.actor, att_id)
    except (DomainError, FileNotFoundError):
        raise not_found(request, page) from None
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
