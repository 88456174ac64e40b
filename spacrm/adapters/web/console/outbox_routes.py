"""Failed outbound messages (#11): what could not be sent and why, with "retry" (one or all)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from spacrm.adapters.web.console.common import console_of, done, failed, page_for, posted, render
from spacrm.core.errors import DomainError
from spacrm.core.permissions import can_manage_users
from spacrm.core.services import outbox
from spacrm.intents.texts import t

router = APIRouter()
PATH = "/console/outbox"


@router.get(PATH)
async def outbox_page(request: Request) -> Response:
    page = await page_for(request, can_manage_users)
    rows = [
        {
            "id": m.id,
            "channel": m.channel,
            "to": m.chat_id,
            "attempts": m.attempts,
            "error": outbox.mask_codes(m.last_error or "")[:300],
            "text": outbox.mask_codes(str(m.payload.get("text") or m.payload.get("subject") or ""))[
                :200
            ],
            "at": m.created_at,
        }
        for m in await outbox.failed_for(page.actor)
    ]
    counts = await outbox.counts()
    return render(
        request, "outbox.html", actor=page.actor, csrf=page.csrf, rows=rows, counts=counts
    )


async def _retry(request: Request, message_id: int | None) -> Response:
    page = await posted(request, can_manage_users)
    try:
        n = await outbox.retry_as(page.actor, message_id=message_id)
    except DomainError as exc:
        return failed(request, page, PATH, exc)
    console_of(request).runtime.dispatcher.kick()  # send now, not at the next idle tick
    return done(request, PATH, t(page.lang, "console.requeued", n=n))


@router.post(PATH + "/{message_id:int}/retry")
async def retry_one(request: Request, message_id: int) -> Response:
    return await _retry(request, message_id)


@router.post(PATH + "/retry")
async def retry_all(request: Request) -> Response:
    return await _retry(request, None)
