"""Editing one Q&A pair from the console (#11): its question and answer, and its variants one at a
time (add, change, delete), for approved pairs and drafts alike; the pairs a page at a time.

A variant is named by its position and its current text: if someone else changed the pair in the
meantime the edit is refused as stale instead of changing the wrong phrasing. Every change saves
the pair, whose `updated_at` tells the customer bot's cache to rebuild (kb.approved_version)."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import QARecord
from spacrm.core.services.kb_training import MAX_TEXT, check_can_teach
from spacrm.core.services.paging import Paged, clean_query, contains, page_of
from spacrm.core.textnorm import fold, nfc

MAX_ANSWER = 4000
MAX_VARIANTS = 200


async def page_pairs(text: str = "", page: int = 1, *, approved: bool = True) -> Paged[QARecord]:
    """Pairs by id, a page at a time; `text` in the id, question or answer."""
    query = QARecord.filter(approved=approved)
    words = clean_query(text)
    if words:
        query = query.filter(
            contains("id", words) | contains("question", words) | contains("answer", words)
        )
    return await page_of(query.order_by("id"), page, count=not words)


async def get_pair(actor: Actor | None, pair_id: str) -> QARecord:
    check_can_teach(actor)
    pair = await QARecord.get_or_none(id=pair_id)
    if pair is None:
        raise DomainError(ErrorCode.NOT_FOUND)
    return pair


def _text(raw: str, limit: int = MAX_TEXT) -> str:
    text = nfc(" ".join(raw.split()))
    if not text or len(text) > limit:
        raise DomainError(ErrorCode.QA_TEXT, n=limit)
    return text


def _check_new(pair: QARecord, text: str, *, besides: int | None = None) -> None:
    """`text` must not repeat the question or another variant (diacritics and case aside)."""
    others = [v for i, v in enumerate(pair.variants or []) if i != besides]
    if fold(text) in {fold(v) for v in (pair.question, *others)}:
        raise DomainError(ErrorCode.VARIANT_EXISTS, value=text[:80])


async def _locked(pair_id: str) -> QARecord:
    pair = await QARecord.select_for_update().get_or_none(id=pair_id)
    if pair is None:
        raise DomainError(ErrorCode.NOT_FOUND)
    return pair


def _at(pair: QARecord, index: int, old: str) -> None:
    variants = pair.variants or []
    if not 0 <= index < len(variants) or variants[index] != old:
        raise DomainError(ErrorCode.STALE)


async def edit_pair(actor: Actor | None, *, pair_id: str, question: str, answer: str) -> QARecord:
    check_can_teach(actor)
    question, answer = _text(question), nfc(answer.strip())
    if not answer or len(answer) > MAX_ANSWER:
        raise DomainError(ErrorCode.QA_TEXT, n=MAX_ANSWER)
    async with in_transaction():
        pair = await _locked(pair_id)
        if fold(question) in {fold(v) for v in pair.variants or []}:
            raise DomainError(ErrorCode.VARIANT_EXISTS, value=question[:80])
        pair.question, pair.answer = question, answer
        await pair.save(update_fields=["question", "answer", "updated_at"])
        return pair


async def add_variant(actor: Actor | None, *, pair_id: str, text: str) -> QARecord:
    check_can_teach(actor)
    text = _text(text)
    async with in_transaction():
        pair = await _locked(pair_id)
        _check_new(pair, text)
        if len(pair.variants or []) >= MAX_VARIANTS:
            raise DomainError(ErrorCode.INVALID_VALUE, value=f"> {MAX_VARIANTS}")
        pair.variants = [*(pair.variants or []), text]
        await pair.save(update_fields=["variants", "updated_at"])
        return pair


async def edit_variant(
    actor: Actor | None, *, pair_id: str, index: int, old: str, text: str
) -> QARecord:
    check_can_teach(actor)
    text = _text(text)
    async with in_transaction():
        pair = await _locked(pair_id)
        _at(pair, index, old)
        _check_new(pair, text, besides=index)
        variants = list(pair.variants or [])
        variants[index] = text
        pair.variants = variants
        await pair.save(update_fields=["variants", "updated_at"])
        return pair


async def remove_variant(actor: Actor | None, *, pair_id: str, index: int, old: str) -> QARecord:
    check_can_teach(actor)
    async with in_transaction():
        pair = await _locked(pair_id)
        _at(pair, index, old)
        variants = list(pair.variants or [])
        del variants[index]
        pair.variants = variants
        await pair.save(update_fields=["variants", "updated_at"])
        return pair
