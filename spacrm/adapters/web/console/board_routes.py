"""The LeadCard kanban (#22): columns by stage in the user's scope; moving a card = move_lead.

The page works without JavaScript (each card has a stage picker and a "Chuyển" button); kanban.js
adds drag and drop (mouse and touch) that posts the same form with fetch and reads JSON back.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse

from spacrm.adapters.web.console.common import (
    MAX_ID,
    console_of,
    current,
    flash_url,
    lang_of,
    not_found,
    page_for,
    render,
)
from spacrm.bot.errors import error_text
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.services import usage
from spacrm.core.services.lead_board import SORTS, column_page, lead_board
from spacrm.core.services.lead_view import board_owners
from spacrm.core.services.leads import move_lead
from spacrm.core.services.list_search import Criterion, Search
from spacrm.core.stages import LEAD_STAGES
from spacrm.intents.texts import t

router = APIRouter()
STATUS = {ErrorCode.NOT_FOUND: 404, ErrorCode.STALE: 409, ErrorCode.FORBIDDEN: 403}


def _filters(owner: str, source: str, since: str, until: str) -> dict[str, str]:
    return {"owner": owner[:10], "source": source[:40], "from": since[:20], "to": until[:20]}


def _search(filters: dict[str, str]) -> Search:
    """The board's filters as list-search criteria (core/services/list_search.py), with AND."""
    return Search(
        (
            Criterion("owner_id", filters["owner"]),
            Criterion("source", filters["source"]),
            Criterion("created_at", filters["from"], filters["to"]),
        )
    )


def _query(sort: str, filters: dict[str, str]) -> str:
    """The board's sort and filters, for a column's "more" link."""
    return urlencode({"sort": sort, **{k: v for k, v in filters.items() if v}})


@router.get("/console/leads")
async def board(
    request: Request,
    sort: str = "created",
    owner: str = "",
    source: str = "",
    since: str = Query("", alias="from"),
    until: str = Query("", alias="to"),
) -> Response:
    page = await page_for(request)
    actor, lang = page.actor, page.lang
    sort = sort if sort in SORTS else "created"
    filters = _filters(owner, source, since, until)
    error = ""
    try:
        columns = await lead_board(actor, sort=sort, search=_search(filters))
    except DomainError as exc:
        error = error_text(exc, lang)
        columns = await lead_board(actor, sort=sort)
    await usage.record(actor.user_id, source="console", channel="console", action="board")
    # A refused filter is shown like a flash message (never text taken from the URL).
    shown: dict[str, Any] = {"flash": error, "flash_bad": True} if error else {}
    return render(
        request,
        "board.html",
        actor=actor,
        csrf=page.csrf,
        columns=columns,
        stages=_stages(lang),
        sort=sort,
        owners=await board_owners(actor),
        filters=filters,
        # "More" continues what the columns show (unfiltered when the filters were refused).
        query=_query(sort, _filters("", "", "", "") if error else filters),
        **shown,
    )


@router.get("/console/leads/column/{stage}")
async def more(
    request: Request,
    stage: str,
    after: str = "",
    left: int = 0,
    sort: str = "created",
    owner: str = "",
    source: str = "",
    since: str = Query("", alias="from"),
    until: str = Query("", alias="to"),
) -> Response:
    """A column's next cards ("… and N more"): kanban.js appends the fragment to the column;
    without JavaScript the same URL is a page of its own with the next link."""
    page = await page_for(request)
    sort = sort if sort in SORTS else "created"
    filters = _filters(owner, source, since, until)
    try:
        cards = await column_page(
            page.actor, stage, sort=sort, after=after[:40], search=_search(filters)
        )
    except DomainError:
        raise not_found(request, page) from None  # a forged stage or position: a wrong URL
    fragment = request.headers.get("X-Requested-With") == "fetch"
    return render(
        request,
        "board_cards.html" if fragment else "board_more.html",
        actor=page.actor,
        csrf=page.csrf,
        stage=stage,
        stages=_stages(page.lang),
        cards=cards,
        left=max(0, min(left, 10**9) - len(cards.leads)),
        query=_query(sort, filters),
    )


def _stages(lang: str) -> list[tuple[str, str]]:
    return [(s, t(lang, f"stage.{s}")) for s in LEAD_STAGES]


@router.post("/console/leads/{lead_id}/move")
async def move(
    request: Request,
    lead_id: int,
    stage: str = Form(""),
    version: str = Form(""),
    csrf: str = Form(""),
) -> Response:
    wants_json = request.headers.get("X-Requested-With") == "fetch"
    request.state.usage_action = "move_lead"  # logged with what it changed by usage_log.py
    actor, token = await current(request)
    if actor is None:
        body = {"ok": False, "message": t("vi", "console.expired")}
        if wants_json:
            return JSONResponse(body, status_code=401)
        return RedirectResponse("/console/login", status_code=303)
    lang = lang_of(actor)
    if not console_of(request).signer.csrf_ok(token, csrf):
        return _answer(request, wants_json, 403, {"ok": False, "message": t(lang, "console.csrf")})
    try:
        # The card's version catches two people dragging the same card (the second gets 409).
        expected = int(version) if version.isdigit() and len(version) < 10 else None
        if not 0 < lead_id <= MAX_ID:  # no such row can exist (PostgreSQL would fail the query)
            raise DomainError(ErrorCode.NOT_FOUND)
        moved = await move_lead(actor, lead_id=lead_id, stage=stage, expected_version=expected)
    except DomainError as exc:
        request.state.usage_failed = True
        text = t(lang, "console.stale") if exc.code == ErrorCode.STALE else error_text(exc, lang)
        return _answer(
            request, wants_json, STATUS.get(exc.code, 400), {"ok": False, "message": text}
        )
    lead = moved.lead
    text = t(lang, "console.moved", name=lead.name, stage=t(lang, f"stage.{lead.stage}"))
    return _answer(
        request,
        wants_json,
        200,
        {"ok": True, "message": text, "stage": lead.stage, "version": lead.version},
    )


def _answer(request: Request, wants_json: bool, status: int, body: dict[str, Any]) -> Response:
    if wants_json:
        return JSONResponse(body, status_code=status)
    if status == 404:  # someone else's (or no) lead: the same page as a wrong URL
        return Response(body["message"], status_code=404, media_type="text/plain; charset=utf-8")
    url = flash_url(request, "/console/leads", body["message"], bad=not body["ok"])
    return RedirectResponse(url, 303)
