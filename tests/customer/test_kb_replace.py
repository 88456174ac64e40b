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


async def test_suggestions_skip_known_and_waiting_phrasings(db: str) -> None:
    from spacrm.core.models import VariantSuggestion
    from spacrm.core.services.kb import suggest

    await QARecord.create(
        id="sg-1", question="Spa mở cửa mấy giờ?", answer="9h", variants=["giờ mở cửa"]
    )
    try:
        first = await suggest("sg-1", ["Mấy giờ spa mở?", "spa mở cửa mấy giờ?", "GIỜ MỞ CỬA", " "])
        assert [s.text for s in first] == ["Mấy giờ spa mở?"]
        again = await suggest(
            "sg-1", ["mấy giờ spa mở?", "Spa làm việc lúc nào?", "Spa làm việc lúc nào?"]
        )
        assert [s.text for s in again] == ["Spa làm việc lúc nào?"]
    finally:
        await VariantSuggestion.filter(qa_id="sg-1").delete()
        await QARecord.filter(id="sg-1").delete()
