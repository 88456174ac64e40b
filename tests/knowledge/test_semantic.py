"""With a Gemini key (issue 7): the Q&A is embedded once and cached in the database (again only
for a changed pair), the pairs nearest in meaning join the candidates Gemini confirms, and any
embedding failure leaves the offline answer - all through the real google-genai client talking to
FakeGemini over loopback."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from spacrm.adapters.gemini.client import EMBEDDING_MODEL, GeminiLLM
from spacrm.bot.customer_engine import CustomerEngine
from spacrm.core.models import QAEmbedding, QARecord
from spacrm.core.services import kb
from tests.fakes.gemini import FakeGemini

PAIRS = [
    kb.QAData("sem-peel", "Thay da sinh học giá bao nhiêu?", "Dạ thay da sinh học 500.000đ/lần ạ."),
    kb.QAData("sem-gio", "Spa mở cửa mấy giờ?", "Dạ spa mở cửa 9h00–20h00 mỗi ngày ạ."),
    kb.QAData("sem-xe", "Có chỗ gửi xe không?", "Dạ có giữ xe máy miễn phí trước cửa ạ."),
]
PEEL = "peel da het bn vay shop"


@pytest.fixture
async def trained(db: str) -> AsyncIterator[None]:
    saved = [
        (r.id, r.question, r.answer, list(r.variants), r.approved) for r in await QARecord.all()
    ]
    await QARecord.all().delete()
    await QAEmbedding.all().delete()
    await kb.import_pairs(PAIRS)
    yield
    await QARecord.all().delete()
    await QAEmbedding.all().delete()
    for pid, q, a, v, ok in saved:
        await QARecord.create(id=pid, question=q, answer=a, variants=v, approved=ok)


@pytest.fixture
async def fake() -> AsyncIterator[FakeGemini]:
    async with FakeGemini(api_key="k", synonyms={"peel": "thay da sinh học"}) as server:
        yield server


def engine(fake: FakeGemini) -> CustomerEngine:
    return CustomerEngine(llm=GeminiLLM("k", "gemini-test", fake.base_url), llm_timeout=5)


def embedded_texts(fake: FakeGemini) -> list[int]:
    """How many texts each embedding request carried."""
    return [len(r.json.get("requests", [])) or 1 for r in fake.embed_requests]


async def test_a_synonym_the_words_miss_is_found_and_confirmed(
    trained: None, fake: FakeGemini
) -> None:
    offline = await CustomerEngine().ask(PEEL)
    assert offline.handoff  # "peel" is nowhere in the spa's words
    bot = engine(fake)
    result = await bot.ask(PEEL)
    assert (result.match, result.handoff) == ("sem-peel", False)
    assert "500.000đ" in result.text
    confirm = next(r for r in fake.requests if r.structured)
    assert "Mã: sem-peel" in confirm.prompt
    assert embedded_texts(fake) == [3, 1]  # the three pairs once, then the question
    rows = await QAEmbedding.filter(model=EMBEDDING_MODEL).order_by("pair_id")
    assert [r.pair_id for r in rows] == ["sem-gio", "sem-peel", "sem-xe"]
    assert all(len(r.vector) == 64 for r in rows)

    await bot.ask("peel bao nhieu tien")
    assert embedded_texts(fake) == [3, 1, 1]  # pairs cached in memory: only the question
    await engine(fake).ask(PEEL)  # a new process: the pairs come from the database
    assert embedded_texts(fake) == [3, 1, 1, 1]

    await kb.add_pair(kb.QAData("sem-gio", "Spa mở cửa mấy giờ?", "Dạ spa mở 8h00–21h00 ạ."))
    await bot.ask(PEEL)
    assert embedded_texts(fake)[-2:] == [1, 1]  # only the changed pair is embedded again
    stored = await QAEmbedding.get(pair_id="sem-gio", model=EMBEDDING_MODEL)
    assert stored.text_hash and json.dumps(stored.vector)


async def test_off_topic_is_not_confirmed(trained: None, fake: FakeGemini) -> None:
    result = await engine(fake).ask("thời tiết mai thế nào")
    assert result.handoff and result.match is None
    assert fake.answer_requests == []


async def test_embedding_failure_keeps_the_offline_answer(trained: None, fake: FakeGemini) -> None:
    fake.queue_embed_error(500)
    bot = engine(fake)
    assert (await bot.ask(PEEL)).handoff  # words only: not sure, handed off
    fake.queue_embed_error(429)
    result = await bot.ask("spa mo cua may gio vay")
    assert (result.match, result.handoff) == ("sem-gio", False)
    assert await QAEmbedding.all().count() == 0  # nothing half-stored
