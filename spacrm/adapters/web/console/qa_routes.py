"""The customer chatbot's Q&A (#11, #16): a "try a question" box showing which pair answers and how
sure, drafts to approve, suggested phrasings, unanswered questions turned into pairs or variants,
and the approved pairs. Managers who may approve knowledge (core.can_approve_knowledge)."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request, Response

from spacrm.adapters.web.console.common import (
    console_of,
    done,
    failed,
    page_for,
    page_number,
    posted,
    render,
)
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.permissions import can_approve_knowledge
from spacrm.core.services import kb, kb_edit, kb_training
from spacrm.intents.customer.decide import decide
from spacrm.intents.texts import t

router = APIRouter()
PATH = "/console/qa"
SHOWN_QUESTIONS = 200
MAX_QUESTION = 500


@router.get(PATH)
async def qa_page(
    request: Request, q: str = "", s: str = "", page: str = "1", dpage: str = "1"
) -> Response:
    screen = await page_for(request, can_approve_knowledge)
    question = q.strip()[:MAX_QUESTION]
    tried = None
    if question:
        retriever = await console_of(request).knowledge.current()
        answer = decide(question, retriever)
        pair = retriever.get(answer.match) if answer.match else None
        tried = {
            "answer": answer,
            "pair": pair,
            "percent": round(answer.confidence * 100),
        }
    return render(
        request,
        "qa.html",
        actor=screen.actor,
        csrf=screen.csrf,
        q=question,
        s=s.strip()[:100],
        tried=tried,
        drafts=await kb_edit.page_pairs("", page_number(dpage), approved=False),
        suggestions=await kb.pending_suggestions(),
        questions=await kb_training.open_questions(SHOWN_QUESTIONS),
        pairs=await kb_edit.page_pairs(s, page_number(page)),
        pair_count=await kb.count_pairs(),
    )


async def _do(request: Request, action: str, pair_id: str = "", ids: tuple[int, ...] = (),
              answer: str = "", approve: bool = False) -> Response:  # fmt: skip
    page = await posted(request, can_approve_knowledge)
    actor, lang = page.actor, page.lang
    try:
        if action == "approve_draft":
            await kb.approve_article(actor, pair_id=pair_id)
            text = t(lang, "console.qa_approved", id=pair_id)
        elif action == "discard_draft":
            if not await kb.discard_article(actor, pair_id=pair_id):
                raise DomainError(ErrorCode.NOT_FOUND)
            text = t(lang, "console.qa_discarded", id=pair_id)
        elif action == "suggestion":
            if not await kb.decide_suggestion(ids[0], approve=approve, actor=actor):
                raise DomainError(ErrorCode.NOT_FOUND)
            text = t(lang, "console.qa_suggestion_" + ("approved" if approve else "rejected"))
        elif action == "new_pair":
            await kb_training.teach_new_pair(
                actor, question_ids=ids, pair_id=pair_id, answer=answer
            )
            text = t(lang, "console.qa_pair_added", id=pair_id.strip())
        elif action == "variant":
            await kb_training.teach_variant(actor, question_ids=ids, pair_id=pair_id.strip())
            text = t(lang, "console.qa_variant_added", id=pair_id.strip())
        elif action == "dismiss":
            if not await kb_training.dismiss_questions(actor, question_ids=ids):
                raise DomainError(ErrorCode.NOT_FOUND)
            text = t(lang, "console.qa_dismissed")
        else:  # remove
            if not await kb.remove_pair(pair_id, actor=actor):
                raise DomainError(ErrorCode.NOT_FOUND)
            text = t(lang, "console.qa_removed", id=pair_id)
    except DomainError as exc:
        return failed(request, page, PATH, exc)
    return done(request, PATH, text)


@router.post(PATH + "/drafts/{pair_id:path}/approve")
async def approve_draft(request: Request, pair_id: str) -> Response:
    return await _do(request, "approve_draft", pair_id)


@router.post(PATH + "/drafts/{pair_id:path}/discard")
async def discard_draft(request: Request, pair_id: str) -> Response:
    return await _do(request, "discard_draft", pair_id)


@router.post(PATH + "/suggestions/{suggestion_id:int}")
async def suggestion(request: Request, suggestion_id: int, approve: str = Form("")) -> Response:
    return await _do(request, "suggestion", ids=(suggestion_id,), approve=approve == "1")


@router.post(PATH + "/questions/{question_id:int}/pair")
async def new_pair(
    request: Request, question_id: int, pair_id: str = Form(""), answer: str = Form("")
) -> Response:
    return await _do(request, "new_pair", pair_id, ids=(question_id,), answer=answer)


@router.post(PATH + "/questions/{question_id:int}/variant")
async def variant(request: Request, question_id: int, pair_id: str = Form("")) -> Response:
    return await _do(request, "variant", pair_id, ids=(question_id,))


@router.post(PATH + "/questions/{question_id:int}/dismiss")
async def dismiss(request: Request, question_id: int) -> Response:
    return await _do(request, "dismiss", ids=(question_id,))


@router.post(PATH + "/pairs/{pair_id:path}/remove")
async def remove(request: Request, pair_id: str) -> Response:
    return await _do(request, "remove", pair_id)


@router.post(PATH + "/pairs")
async def add_pair(
    request: Request,
    pair_id: str = Form(""),
    question: str = Form(""),
    answer: str = Form(""),
    variants: str = Form(""),
) -> Response:
    page = await posted(request, can_approve_knowledge)
    row = kb.QAData(pair_id, question, answer, tuple(variants.splitlines()))
    try:
        created = await kb.add_pair(row, actor=page.actor)
    except ValueError:  # no id, question or answer (kb._clean)
        return done(request, PATH, t(page.lang, "console.qa_incomplete"), bad=True)
    except DomainError as exc:
        return failed(request, page, PATH, exc)
    key = "console.qa_pair_added" if created else "console.qa_pair_updated"
    return done(request, PATH, t(page.lang, key, id=pair_id.strip()))
