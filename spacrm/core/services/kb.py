"""The trained Q&A store (#16, #36): import, add, remove, list; suggested phrasings to approve."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import Complaint, QARecord, VariantSuggestion
from spacrm.core.permissions import can_approve_knowledge, get_visible
from spacrm.core.textnorm import nfc

MAX_ID = 80


@dataclass(frozen=True, slots=True)
class QAData:
    id: str
    question: str
    answer: str
    variants: tuple[str, ...] = ()


def _clean(row: QAData) -> QAData:
    pair_id = row.id.strip()
    if not pair_id or len(pair_id) > MAX_ID:
        raise ValueError(f"bad id {row.id!r}")
    if not row.question.strip() or not row.answer.strip():
        raise ValueError(f"{pair_id}: question and answer are required")
    variants = tuple(dict.fromkeys(nfc(v.strip()) for v in row.variants if v.strip()))
    return QAData(pair_id, nfc(row.question.strip()), nfc(row.answer.strip()), variants)


async def import_pairs(rows: Sequence[QAData], *, replace: bool = False) -> tuple[int, int]:
    """Upsert every row in one transaction; `replace` drops pairs absent from the file.
    Returns (created, updated)."""
    cleaned = [_clean(r) for r in rows]
    created = updated = 0
    async with in_transaction():
        if replace:
            # Articles drafted from resolved cases ("case-N") live outside any file: keep them.
            await (
                QARecord.exclude(id__in=[r.id for r in cleaned])
                .exclude(id__startswith="case-")
                .delete()
            )
        for row in cleaned:
            existing = await QARecord.get_or_none(id=row.id)
            if existing is None:
                await QARecord.create(
                    id=row.id, question=row.question, answer=row.answer, variants=list(row.variants)
                )
                created += 1
            else:
                existing.question, existing.answer = row.question, row.answer
                existing.variants = list(row.variants)
                existing.approved = True
                await existing.save()
                updated += 1
    return created, updated


def _may_teach(actor: Actor | None) -> None:
    # None is the operator at the server's terminal (`spacrm kb ...`).
    if actor is not None and not can_approve_knowledge(actor):
        raise DomainError(ErrorCode.FORBIDDEN)


async def add_pair(row: QAData, *, actor: Actor | None = None) -> bool:
    """Add or replace one pair; True when it is new."""
    _may_teach(actor)
    created, _ = await import_pairs([row])
    return created == 1


async def remove_pair(pair_id: str, *, actor: Actor | None = None) -> bool:
    _may_teach(actor)
    return await QARecord.filter(id=pair_id).delete() > 0


async def approved_pairs() -> list[QAData]:
    rows = await QARecord.filter(approved=True).order_by("created_at", "id")
    return [QAData(r.id, r.question, r.answer, tuple(r.variants or ())) for r in rows]


async def count_pairs() -> int:
    return await QARecord.filter(approved=True).count()


async def approved_version() -> tuple[int, str]:
    """What changes whenever the approved Q&A does: (how many, when the newest edit was), for
    caches built from `approved_pairs`."""
    latest = await QARecord.filter(approved=True).order_by("-updated_at").first()
    return await count_pairs(), latest.updated_at.isoformat() if latest else ""


async def suggest(pair_id: str, texts: Sequence[str]) -> list[VariantSuggestion]:
    """Store suggested phrasings; they only count once approved. Phrasings the pair already has,
    or that already wait for approval, are not stored again."""
    pair = await QARecord.get_or_none(id=pair_id)
    if pair is None:
        raise ValueError(f"unknown Q&A id {pair_id!r}")
    known = {v.casefold() for v in (pair.question, *pair.variants)}
    known |= {
        s.text.casefold() for s in await VariantSuggestion.filter(qa_id=pair_id, status="pending")
    }
    stored: list[VariantSuggestion] = []
    for raw in texts:
        text = nfc(raw.strip())
        if text and text.casefold() not in known:
            known.add(text.casefold())
            stored.append(await VariantSuggestion.create(qa_id=pair_id, text=text))
    return stored


async def pending_suggestions() -> list[VariantSuggestion]:
    return await VariantSuggestion.filter(status="pending").order_by("id")


async def decide_suggestion(
    suggestion_id: int, *, approve: bool, actor: Actor | None = None
) -> bool:
    _may_teach(actor)
    async with in_transaction():
        sug = await VariantSuggestion.get_or_none(id=suggestion_id, status="pending")
        if sug is None:
            return False
        sug.status = "approved" if approve else "rejected"
        await sug.save()
        if approve:
            rec = await QARecord.get_or_none(id=sug.qa_id)
            if rec is not None and sug.text not in (rec.variants or []):
                rec.variants = [*(rec.variants or []), sug.text]
                await rec.save()
    return True


# -- articles drafted from resolved cases (#15 → #16) ---------------------------------------------

CASE_ARTICLE_PREFIX = "case-"
_TITLE_PREFIXES = ("Khiếu nại qua ",)  # what the customer bot puts before a complaint's words


def _question_of(case: Complaint) -> tuple[str, tuple[str, ...]]:
    """The customer's own words make the best question; the title becomes a variant."""
    title = case.title
    for prefix in _TITLE_PREFIXES:
        if title.startswith(prefix) and ": " in title:
            title = title.split(": ", 1)[1]
    description = (case.description or "").strip()
    if description and description != title:
        return description[:1000], (title,)
    return title, ()


async def draft_from_case(actor: Actor, *, case_id: int) -> QARecord:
    """A knowledge-base article DRAFT from a resolved case: question from its title/description,
    answer from its resolution. It feeds the chatbot only once a manager approves it."""
    async with in_transaction():
        case = await get_visible(Complaint, actor, case_id)
        if case.status not in ("resolved", "closed") or not (case.resolution or "").strip():
            raise DomainError(ErrorCode.STALE)
        if case.kb_article_id:
            existing = await QARecord.get_or_none(id=case.kb_article_id)
            if existing is not None:
                return existing
        question, variants = _question_of(case)
        pair_id = f"{CASE_ARTICLE_PREFIX}{case.id}"
        record, _ = await QARecord.update_or_create(
            id=pair_id,
            defaults={"question": nfc(question), "answer": nfc(case.resolution or ""), "variants": list(variants),
                      "approved": False},
        )  # fmt: skip
        case.kb_article_id = pair_id
        await case.save(update_fields=["kb_article_id"])
        return record


async def draft_articles() -> list[QARecord]:
    return await QARecord.filter(approved=False).order_by("created_at", "id")


async def get_article(pair_id: str) -> QARecord | None:
    return await QARecord.get_or_none(id=pair_id)


async def approve_article(actor: Actor | None, *, pair_id: str) -> QARecord:
    """A manager puts a draft into the trained Q&A (the chatbot answers with it from now on).
    `actor` None is the operator at the server's terminal (`spacrm kb approve`)."""
    if actor is not None and not can_approve_knowledge(actor):
        raise DomainError(ErrorCode.FORBIDDEN)
    async with in_transaction():
        record = await QARecord.get_or_none(id=pair_id)
        if record is None:
            raise DomainError(ErrorCode.NOT_FOUND)
        if not record.approved:
            record.approved = True
            await record.save(update_fields=["approved", "updated_at"])
        return record


async def discard_article(actor: Actor | None, *, pair_id: str) -> bool:
    """A manager drops a draft; the case can be turned into an article again later."""
    if actor is not None and not can_approve_knowledge(actor):
        raise DomainError(ErrorCode.FORBIDDEN)
    async with in_transaction():
        deleted = await QARecord.filter(id=pair_id, approved=False).delete()
        if deleted:
            await Complaint.filter(kb_article_id=pair_id).update(kb_article_id=None)
        return deleted > 0
