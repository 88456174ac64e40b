"""One Q&A pair (#11): its question and answer, and its variants edited one at a time (add, change,
delete); a draft is approved or discarded from here too. The pair is named by `?id=` (ids may
hold any character); an unknown id is 404. Managers who may teach the bot."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request, Response

from spacrm.adapters.web.console.common import done, failed, page_for, posted, render
from spacrm.core.errors import DomainError
from spacrm.core.permissions import can_approve_knowledge
from spacrm.core.services import kb_edit
from spacrm.intents.texts import t

router = APIRouter()
PATH = "/console/qa/pair"


def _url(pair_id: str) -> str:
    return PATH + "?" + urlencode({"id": pair_id})


@router.get(PATH)
async def pair_page(request: Request, id: str = "") -> Response:
    page = await page_for(request, can_approve_knowledge)
    try:
        pair = await kb_edit.get_pair(page.actor, id)
    except DomainError as exc:
        return failed(request, page, "/console/qa", exc)
    return render(request, "qa_pair.html", actor=page.actor, csrf=page.csrf, pair=pair)


async def _change(request: Request, pair_id: str, action: str, index: str = "", old: str = "",
                  text: str = "", answer: str = "") -> Response:  # fmt: skip
    page = await posted(request, can_approve_knowledge)
    actor, lang = page.actor, page.lang
    at = int(index) if index.isdigit() and len(index) < 6 else -1
    try:
        if action == "pair":
            await kb_edit.edit_pair(actor, pair_id=pair_id, question=text, answer=answer)
            message = t(lang, "console.qa_pair_updated", id=pair_id)
        elif action == "add":
            await kb_edit.add_variant(actor, pair_id=pair_id, text=text)
            message = t(lang, "console.qa_variant_saved")
        elif action == "edit":
            await kb_edit.edit_variant(actor, pair_id=pair_id, index=at, old=old, text=text)
            message = t(lang, "console.qa_variant_saved")
        else:
            await kb_edit.remove_variant(actor, pair_id=pair_id, index=at, old=old)
            message = t(lang, "console.qa_variant_removed", text=old[:80])
    except DomainError as exc:
        return failed(request, page, _url(pair_id), exc)
    return done(request, _url(pair_id), message)


@router.post(PATH)
async def edit_pair(
    request: Request, pair_id: str = Form(""), question: str = Form(""), answer: str = Form("")
) -> Response:
    return await _change(request, pair_id, "pair", text=question, answer=answer)


@router.post(PATH + "/variants")
async def add_variant(request: Request, pair_id: str = Form(""), text: str = Form("")) -> Response:
    return await _change(request, pair_id, "add", text=text)


@router.post(PATH + "/variants/edit")
async def edit_variant(
    request: Request,
    pair_id: str = Form(""),
    index: str = Form(""),
    old: str = Form(""),
    text: str = Form(""),
) -> Response:
    return await _change(request, pair_id, "edit", index, old, text)


@router.post(PATH + "/variants/remove")
async def remove_variant(
    request: Request, pair_id: str = Form(""), index: str = Form(""), old: str = Form("")
) -> Response:
    return await _change(request, pair_id, "remove", index, old)
