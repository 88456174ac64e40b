"""Training help (issue 7, seed #36): the questions the customer bot could not answer surely are
kept, and staff turn one into a new Q&A pair or a variant of an existing pair in one step."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from tortoise.transactions import in_transaction

from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import QARecord, UnansweredQuestion
from spacrm.core.permissions import can_approve_knowledge
from spacrm.core.textnorm import fold, nfc

# Answers under this confidence were right often enough to send but are worth a look.
LOW_CONFIDENCE = 0.5
MAX_TEXT = 1000
OPEN, TAUGHT, DISMISSED = "open", "taught", "dismissed"


async def note_unanswered(
    text: str,
    *,
    handed_off: bool,
    confidence: float,
    match: str | None = None,
    channel: str = "",
    conversation_id: int | None = None,
) -> UnansweredQuestion | None:
    """Keep a handed-off or low-confidence customer question; the same open question from the
    same conversation is kept once."""
    text = nfc(text)[:MAX_TEXT]
    if not text or (not handed_off and confidence >= LOW_CONFIDENCE):
        return None
    if conversation_id is not None:
        for row in await UnansweredQuestion.filter(
            conversation_id=conversation_id, status=OPEN
        ).only("id", "text"):
            if fold(row.text) == fold(text):
                return None
    return await UnansweredQuestion.create(
        text=text, channel=channel[:12], conversation_id=conversation_id,
        confidence=round(confidence, 4), best_match=match, handed_off=handed_off,
    )  # fmt: skip


class BotResult(Protocol):
    """What the customer bot decided (knowledge.answering.Answer; core does not import it)."""

    @property
    def handoff(self) -> bool: ...
    @property
    def confidence(self) -> float: ...
    @property
    def match(self) -> str | None: ...
    @property
    def closest(self) -> str | None: ...


async def note_question(
    channel: str, conversation_id: int | None, text: str, result: BotResult
) -> UnansweredQuestion | None:
    """The engine's one call after answering a customer: keep it if it was not answered surely."""
    return await note_unanswered(
        text, handed_off=result.handoff, confidence=result.confidence,
        match=result.match or result.closest,
        channel=channel, conversation_id=conversation_id,
    )  # fmt: skip


async def open_questions(limit: int = 1000) -> list[UnansweredQuestion]:
    return await UnansweredQuestion.filter(status=OPEN).order_by("id").limit(limit)


def check_can_teach(actor: Actor | None) -> None:
    """Raise FORBIDDEN unless this actor may change what the bot says (None: the terminal)."""
    _check(actor)


def _check(actor: Actor | None) -> None:
    # None is the operator at the server's terminal (`spacrm kb ...`).
    if actor is not None and not can_approve_knowledge(actor):
        raise DomainError(ErrorCode.FORBIDDEN)


async def _open_rows(ids: Sequence[int]) -> list[UnansweredQuestion]:
    rows = await UnansweredQuestion.filter(id__in=list(ids), status=OPEN).order_by("id")
    if not rows or len(rows) != len(set(ids)):
        raise DomainError(ErrorCode.NOT_FOUND, value=",".join(map(str, ids)))
    return rows


async def teach_variant(actor: Actor | None, *, question_ids: Sequence[int], pair_id: str) -> int:
    """The questions become variants of an existing pair (the bot answers them from now on).
    Returns how many new phrasings the pair got."""
    _check(actor)
    async with in_transaction():
        rows = await _open_rows(question_ids)
        pair = await QARecord.get_or_none(id=pair_id, approved=True)
        if pair is None:
            raise DomainError(ErrorCode.NOT_FOUND, value=pair_id)
        known = {fold(v) for v in (pair.question, *(pair.variants or []))}
        added = 0
        variants = list(pair.variants or [])
        for row in rows:
            if fold(row.text) not in known:
                known.add(fold(row.text))
                variants.append(row.text)
                added += 1
            row.status, row.taught_pair_id = TAUGHT, pair_id
            await row.save(update_fields=["status", "taught_pair_id"])
        pair.variants = variants
        await pair.save()
        return added


async def teach_new_pair(
    actor: Actor | None, *, question_ids: Sequence[int], pair_id: str, answer: str
) -> QARecord:
    """A new pair: the first question is its question, the others its variants."""
    _check(actor)
    pair_id, answer = pair_id.strip(), nfc(answer)
    if not pair_id or len(pair_id) > 80 or not answer:
        raise DomainError(ErrorCode.INVALID_VALUE, value=pair_id)
    async with in_transaction():
        rows = await _open_rows(question_ids)
        if await QARecord.exists(id=pair_id):
            raise DomainError(ErrorCode.INVALID_VALUE, value=pair_id)
        texts = list(dict.fromkeys(row.text for row in rows))
        record = await QARecord.create(
            id=pair_id, question=texts[0], answer=answer, variants=texts[1:], approved=True
        )
        for row in rows:
            row.status, row.taught_pair_id = TAUGHT, pair_id
            await row.save(update_fields=["status", "taught_pair_id"])
        return record


async def dismiss_questions(actor: Actor | None, *, question_ids: Sequence[int]) -> int:
    """Nothing to learn (spam, off-topic): drop them from the list."""
    _check(actor)
    return await UnansweredQuestion.filter(id__in=list(question_ids), status=OPEN).update(
        status=DISMISSED
    )
