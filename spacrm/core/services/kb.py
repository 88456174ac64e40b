"""The trained Q&A store (#16, #36): import, add, remove, list; suggested phrasings to approve."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise import connections
from tortoise.transactions import in_transaction

from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import Complaint, QARecord, VariantSuggestion
from spacrm.core.permissions import can_approve_knowledge, get_visible
from spacrm.core.textnorm import nfc

MAX_ID = 80
IMPORT_BATCH = 1000  # rows per INSERT/UPDATE statement of an import
LOAD_CHUNK = 2000  # rows per query when the answering side loads every pair


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
    Returns (created, updated).

    Set-wise (a few statements per thousand rows, not one per row): a 100k-row file holds the
    database's write lock for seconds, not minutes, so a `serve` beside it keeps writing (its
    SQLite busy wait is 10 s) while the import runs (issue 13 §7)."""
    cleaned = [_clean(r) for r in rows]
    final = {r.id: r for r in cleaned}  # a repeated id: its last row wins, as before
    # Read before the write transaction (SQLite's write lock is held only for the writes):
    # which pairs exist, and since when (a replaced pair keeps its place in the order).
    since: dict[str, datetime] = {}
    for chunk in _chunks(list(final)):
        found = await QARecord.filter(id__in=chunk).values_list("id", "created_at")
        since.update((str(pair_id), created) for pair_id, created in found)
    created = updated = 0
    seen: set[str] = set()
    for row in cleaned:  # the counts as a row-by-row upsert would give them
        if row.id in since or row.id in seen:
            updated += 1
        else:
            created += 1
            seen.add(row.id)
    # Every pair of the file is replaced (delete + insert): an UPDATE per row, or Tortoise's
    # CASE-per-row bulk update, takes minutes at 100k.
    records = []
    for pair_id, r in final.items():
        record = QARecord(
            id=pair_id, question=r.question, answer=r.answer, variants=list(r.variants)
        )
        if pair_id in since:
            record.created_at = since[pair_id]
        records.append(record)
    async with in_transaction():
        if replace:
            # Articles drafted from resolved cases ("case-N") live outside any file: keep them.
            ids = [str(i) for i in await QARecord.all().values_list("id", flat=True)]
            stale = [i for i in ids if i not in final and not i.startswith("case-")]
            for chunk in _chunks(stale):
                await QARecord.filter(id__in=chunk).delete()
        # Every id of the file, not only those read above: one added since then is replaced too.
        for chunk in _chunks(list(final)):
            await QARecord.filter(id__in=chunk).delete()
        await QARecord.bulk_create(records, batch_size=IMPORT_BATCH)
    return created, updated


def _may_teach(actor: Actor | None) -> None:
    # None is the operator at the server's terminal (`spacrm kb ...`).
    if actor is not None and not can_approve_knowledge(actor):
        raise DomainError(ErrorCode.FORBIDDEN)


def _chunks(items: list[str], size: int = 500) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


async def add_pair(row: QAData, *, actor: Actor | None = None) -> bool:
    """Add or replace one pair; True when it is new."""
    _may_teach(actor)
    created, _ = await import_pairs([row])
    return created == 1


async def remove_pair(pair_id: str, *, actor: Actor | None = None) -> bool:
    _may_teach(actor)
    return await QARecord.filter(id=pair_id).delete() > 0


async def approved_pairs() -> list[QAData]:
    """Every approved pair, oldest first. Read in chunks of LOAD_CHUNK rows (keyset on the id,
    plain rows, no model objects or date parsing): other requests get the event loop and the
    shared database connection between chunks, so a 100k-pair load never stalls the server
    (issue 13 §7)."""
    conn = connections.get("default")
    mark = "?" if conn.capabilities.dialect == "sqlite" else "$1"
    sql = (
        "SELECT id, question, answer, variants, created_at FROM qa_record "
        f"WHERE approved AND id > {mark} ORDER BY id LIMIT {LOAD_CHUNK}"
    )
    found: list[tuple[Any, str, QAData]] = []
    after = ""
    while True:
        _, chunk = await conn.execute_query(sql, [after])
        for pair_id, question, answer, variants, created_at in chunk:
            listed = json.loads(variants) if isinstance(variants, str | bytes) else variants
            found.append(
                (created_at, pair_id, QAData(pair_id, question, answer, tuple(listed or ())))
            )
        if len(chunk) < LOAD_CHUNK:
            break
        after = chunk[-1][0]
        await asyncio.sleep(0)
    # Stored dates sort as they are (ISO text on SQLite, timestamps on PostgreSQL).
    found.sort(key=lambda item: (item[0], item[1]))
    return [pair for _, _, pair in found]


async def count_pairs() -> int:
    return await QARecord.filter(approved=True).count()


async def approved_version() -> tuple[int, str]:
    """What changes whenever the approved Q&A does: (how many, when the newest edit was), for
    caches built from `approved_pairs`."""
    latest = await (
        QARecord.filter(approved=True)
        .order_by("-updated_at")
        .limit(1)
        .values_list("updated_at", flat=True)
    )
    return await count_pairs(), str(latest[0]) if latest else ""


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
