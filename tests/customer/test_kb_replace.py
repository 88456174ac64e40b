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


async def test_set_wise_import_and_chunked_load_keep_order_and_counts(
    db: str, monkeypatch: object
) -> None:
    """Issue 13 §7: the import writes set-wise and the server loads in chunks; what the bot
    answers from is the same as before: every approved pair once, oldest first, an updated
    pair keeping its place, a repeated id counted as an update (its last row wins)."""
    import pytest

    from spacrm.core.services import kb

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setattr(kb, "LOAD_CHUNK", 3)  # chunk boundaries inside this small set
    await kb.import_pairs(
        [QAData("bulk-a", "Mấy giờ mở cửa?", "8h ạ"), QAData("bulk-b", "Wifi?", "Có ạ")]
    )
    before = await kb.approved_pairs()
    first = before[0]
    try:
        rows = [QAData(f"bulk-{i:02d}", f"Câu {i}?", f"Đáp {i}") for i in range(8)]
        rows += [QAData("bulk-03", "Câu ba mới?", "Đáp ba mới", ("biến thể",))]
        rows += [QAData(first.id, first.question + " (sửa)", first.answer, ("mở cửa mấy giờ",))]
        assert await kb.import_pairs(rows) == (8, 2)
        after = await kb.approved_pairs()
        assert [p.id for p in after] == [p.id for p in before] + [f"bulk-{i:02d}" for i in range(8)]
        assert after[0].question == first.question + " (sửa)"  # updated, still first
        three = next(p for p in after if p.id == "bulk-03")
        assert (three.question, three.variants) == ("Câu ba mới?", ("biến thể",))
        await QARecord.filter(id="bulk-05").update(approved=False)
        assert "bulk-05" not in {p.id for p in await kb.approved_pairs()}
    finally:
        await QARecord.filter(id__startswith="bulk-").delete()
