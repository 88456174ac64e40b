"""Training help (issue 7): what the bot could not answer surely is kept, grouped, and turned
into a new pair or a variant in one step - after which the bot answers it."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from spacrm.bot.customer_engine import CustomerEngine
from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import QARecord, UnansweredQuestion
from spacrm.core.services import kb, kb_training
from spacrm.intents.chat import ChatEvent
from spacrm.knowledge.grouping import group_questions

WIFI = "Dạ spa có wifi miễn phí, mật khẩu là lotus2024 ạ."


@pytest.fixture
async def clean(db: str) -> AsyncIterator[None]:
    await UnansweredQuestion.all().delete()
    yield
    await UnansweredQuestion.all().delete()
    await QARecord.filter(id__in=["wifi-t", "hours-t"]).delete()


async def test_only_unsure_questions_are_kept_once_per_conversation(clean: None) -> None:
    class Result:
        def __init__(self, handoff: bool, confidence: float) -> None:
            self.handoff, self.confidence, self.match = handoff, confidence, None
            self.closest: str | None = None

    assert await kb_training.note_question("widget", 7, "mật khẩu wifi là gì", Result(True, 0.2))
    assert not await kb_training.note_question("widget", 7, "mat khau wifi la gi", Result(True, 0))
    assert not await kb_training.note_question("widget", 7, "giá gội đầu", Result(False, 0.8))
    assert await kb_training.note_question("widget", 7, "giá gội đầu?", Result(False, 0.4))
    texts = [q.text for q in await kb_training.open_questions()]
    assert texts == ["mật khẩu wifi là gì", "giá gội đầu?"]


async def test_customer_handoff_is_kept_and_teaching_makes_the_bot_answer(clean: None) -> None:
    engine = CustomerEngine()
    questions = ["cho e xin pass wifi", "pass wifi la gi a", "mật khẩu wifi là gì vậy shop"]
    for text in questions:
        event = ChatEvent(channel="widget", external_user_id=uuid.uuid4().hex, chat_id="w",
                          text=text, account_ref="widget")  # fmt: skip
        await engine.handle(event)
    rows = await kb_training.open_questions()
    assert [r.text for r in rows] == questions and all(r.handed_off for r in rows)
    assert {r.channel for r in rows} == {"widget"}

    groups = group_questions([(r.id, r.text) for r in rows])
    assert groups[0].count >= 2  # the pass-wifi phrasings are one thing to teach

    ids = [r.id for r in rows]
    record = await kb_training.teach_new_pair(None, question_ids=ids[:1], pair_id="wifi-t",
                                              answer=WIFI)  # fmt: skip
    assert record.question == questions[0] and record.approved
    added = await kb_training.teach_variant(None, question_ids=ids[1:], pair_id="wifi-t")
    assert added == 2
    assert (await QARecord.get(id="wifi-t")).variants == questions[1:]
    assert await kb_training.open_questions() == []
    assert {r.taught_pair_id for r in await UnansweredQuestion.all()} == {"wifi-t"}

    reply = await CustomerEngine().ask("pass wifi la gi vay")
    assert reply.match == "wifi-t" and not reply.handoff


async def test_teaching_refuses_bad_targets_and_staff(
    clean: None, personas: dict[str, Actor]
) -> None:
    row = await kb_training.note_unanswered("spa có bán son môi không", handed_off=True,
                                            confidence=0.0)  # fmt: skip
    assert row is not None
    with pytest.raises(DomainError) as missing:
        await kb_training.teach_variant(None, question_ids=[row.id], pair_id="no-such-pair")
    assert missing.value.code == ErrorCode.NOT_FOUND
    await kb.add_pair(kb.QAData("hours-t", "Spa mở cửa mấy giờ?", "Dạ 9h–21h ạ."))
    with pytest.raises(DomainError) as dup:
        await kb_training.teach_new_pair(None, question_ids=[row.id], pair_id="hours-t", answer="x")
    assert dup.value.code == ErrorCode.INVALID_VALUE
    with pytest.raises(DomainError) as forbidden:
        await kb_training.dismiss_questions(personas["st_q1a1"], question_ids=[row.id])
    assert forbidden.value.code == ErrorCode.FORBIDDEN
    # Nothing half-written: the question is still open, the pair unchanged.
    assert [r.id for r in await kb_training.open_questions()] == [row.id]
    assert await kb_training.dismiss_questions(personas["ceo"], question_ids=[row.id]) == 1
    assert await kb_training.open_questions() == []


def test_grouping_keeps_different_questions_apart() -> None:
    groups = group_questions([
        (1, "giá gội đầu bao nhiêu"), (2, "mật khẩu wifi"), (3, "gội đầu giá sao"),
        (4, "spa có chỗ đậu ô tô không"), (5, "pass wifi là gì"),
    ])  # fmt: skip
    by_first = {g.ids[0]: set(g.ids) for g in groups}
    assert by_first[1] == {1, 3}
    assert {4} in by_first.values()
    assert sum(g.count for g in groups) == 5
