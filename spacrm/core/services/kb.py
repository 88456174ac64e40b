"""The trained Q&A store (#16, #36): import, add, remove, list; suggested phrasings to approve."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from spacrm.core.models import QARecord, VariantSuggestion
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
            await QARecord.exclude(id__in=[r.id for r in cleaned]).delete()
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


async def add_pair(row: QAData) -> bool:
    """Add or replace one pair; True when it is new."""
    created, _ = await import_pairs([row])
    return created == 1


async def remove_pair(pair_id: str) -> bool:
    return await QARecord.filter(id=pair_id).delete() > 0


async def approved_pairs() -> list[QAData]:
    rows = await QARecord.filter(approved=True).order_by("created_at", "id")
    return [QAData(r.id, r.question, r.answer, tuple(r.variants or ())) for r in rows]


async def count_pairs() -> int:
    return await QARecord.filter(approved=True).count()


async def suggest(pair_id: str, texts: Sequence[str]) -> list[VariantSuggestion]:
    """Store suggested phrasings; they only count once approved."""
    if not await QARecord.exists(id=pair_id):
        raise ValueError(f"unknown Q&A id {pair_id!r}")
    return [await VariantSuggestion.create(qa_id=pair_id, text=nfc(t.strip())) for t in texts if t.strip()]


async def pending_suggestions() -> list[VariantSuggestion]:
    return await VariantSuggestion.filter(status="pending").order_by("id")


async def decide_suggestion(suggestion_id: int, *, approve: bool) -> bool:
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
