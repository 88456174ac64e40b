"""`kb import --replace` replaces the file's pairs but keeps articles drafted from cases."""

from __future__ import annotations

from spacrm.core.models import QARecord
from spacrm.core.services.kb import QAData, import_pairs


async def test_replace_keeps_case_articles(db: str) -> None:
    before = [
        (r.id, r.question, r.answer, list(r.variants), r.approved) for r in await QARecord.all()
    ]
    try:
        await QARecord.create(
            id="case-9001",
            question="Da bị kích ứng sau peel",
            answer="Dạ spa sẽ…",
            variants=[],
            approved=True,
        )
        await QARecord.create(id="old-pair", question="Câu cũ", answer="Cũ", variants=[])
        created, _ = await import_pairs([QAData("new-pair", "Câu mới?", "Mới ạ")], replace=True)
        ids = set(await QARecord.all().values_list("id", flat=True))
        assert created == 1 and "new-pair" in ids and "case-9001" in ids and "old-pair" not in ids
    finally:
        await QARecord.all().delete()
        for pid, q, a, v, ok in before:
            await QARecord.create(id=pid, question=q, answer=a, variants=v, approved=ok)
