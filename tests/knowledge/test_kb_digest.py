"""Issue 7: the manager's daily "câu hỏi chưa trả lời được" digest reaches them through the fake
Telegram once a day, and its buttons teach the bot (a new pair from the typed answer, a variant
of the closest pair) or drop a question; afterwards the bot answers what it could not."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import datetime

import pytest

from spacrm.bot.customer_engine import CustomerEngine
from spacrm.bot.kb_digest import send_kb_digests, staff_hook
from spacrm.core import clock
from spacrm.core.models import QARecord, ReportSend, UnansweredQuestion, User
from spacrm.core.services import kb, kb_training
from spacrm.intents.chat import ChatEvent
from tests.adapters.telegram.test_telegram_e2e import Harness, _link, bot  # noqa: F401

WIFI = "Dạ spa có wifi miễn phí, mật khẩu là lotus2024 ạ."
DAY = datetime(2026, 12, 3, 9, 0)
CEO_TG = 700301


@pytest.fixture
async def clean(db: str) -> AsyncIterator[None]:
    await UnansweredQuestion.all().delete()
    await ReportSend.filter(kind="kb_digest").delete()
    yield
    clock.freeze(None)
    await UnansweredQuestion.all().delete()
    await QARecord.filter(id__startswith="hoc-").delete()
    await QARecord.filter(id="hours-d").delete()


async def test_digest_once_a_day_and_its_buttons_teach_the_bot(
    bot: Harness,  # noqa: F811
    clean: None,
) -> None:
    engine = CustomerEngine()
    for text in ["cho e xin pass wifi", "pass wifi la gi a"]:  # handed off through the bot
        event = ChatEvent(channel="widget", external_user_id=uuid.uuid4().hex, chat_id="w",
                          text=text, account_ref="web")  # fmt: skip
        await engine.handle(event)
    await kb.add_pair(kb.QAData("hours-d", "Spa mở cửa mấy giờ?", "Dạ 9h–21h ạ."))
    late = await kb_training.note_unanswered(
        "toi 9h45 con lam ko", handed_off=True, confidence=0.3, match="hours-d"
    )
    spam = await kb_training.note_unanswered("ban son moi ko", handed_off=True, confidence=0.0)
    assert late is not None and spam is not None
    wifi = [r for r in await kb_training.open_questions() if "wifi" in r.text]
    assert len(wifi) == 2

    await _link(bot, CEO_TG, "ceo")
    clock.freeze(DAY.replace(hour=6))  # before the morning reports' time: nothing yet
    assert await send_kb_digests() == 0
    clock.freeze(DAY)
    assert await send_kb_digests() >= 1
    bot.runtime.dispatcher.kick()
    digest = await bot.tg.wait_for_sent(
        lambda s: s.chat_id == CEO_TG and "chưa trả lời được" in (s.text or ""), timeout=10
    )
    text = digest.text or ""
    assert "4 câu khách hỏi, 3 nhóm" in text and "×2" in text and "Spa mở cửa mấy giờ?" in text
    data = {d for _, d in digest.buttons}
    assert {f"qn:{wifi[0].id}", f"qv:{late.id}", f"qd:{spam.id}"} <= data
    assert await send_kb_digests() == 0  # the next tick: sent once today
    ceo = await User.get(login="ceo")
    assert await ReportSend.filter(kind="kb_digest", user_id=ceo.id).count() == 1

    # 📝 new pair: the next typed message is its answer; both phrasings become the pair.
    prompt = await bot.press(CEO_TG, f"qn:{wifi[0].id}", digest.message_id)
    assert "Nhập câu trả lời" in (prompt.text or "")
    done = await bot.say(CEO_TG, WIFI)
    assert "Đã thêm cặp hỏi đáp mới" in (done.text or "")
    pair = await QARecord.get(id=f"hoc-{wifi[0].id}")
    assert pair.answer == WIFI and pair.question == "cho e xin pass wifi"
    assert pair.variants == ["pass wifi la gi a"]
    reply = await CustomerEngine().ask("pass wifi la gi vay shop")
    assert reply.match == pair.id and reply.text == WIFI

    # ➕ variant of the closest pair, and 🗑 drop.
    taught = await bot.press(CEO_TG, f"qv:{late.id}", digest.message_id)
    assert "Đã thêm 1 cách hỏi" in (taught.text or "")
    assert "toi 9h45 con lam ko" in (await QARecord.get(id="hours-d")).variants
    dropped = await bot.press(CEO_TG, f"qd:{spam.id}", digest.message_id)
    assert "Đã bỏ qua 1 câu hỏi" in (dropped.text or "")
    assert await kb_training.open_questions() == []
    # A second press on a handled question changes nothing.
    again = await bot.press(CEO_TG, f"qd:{spam.id}", digest.message_id)
    assert "đã được xử lý" in (again.text or "")
    assert (await UnansweredQuestion.get(id=spam.id)).status == "dismissed"


async def test_staff_cannot_teach_from_a_forged_button(
    bot: Harness,  # noqa: F811
    clean: None,
) -> None:
    row = await kb_training.note_unanswered("ban son moi ko", handed_off=True, confidence=0.0)
    assert row is not None
    await _link(bot, 700302, "st_q1a1")
    sent = await bot.say(700302, "xin chào")
    refused = await bot.press(700302, f"qd:{row.id}", sent.message_id)
    assert "quyền" in (refused.text or "").lower()
    assert [r.id for r in await kb_training.open_questions()] == [row.id]


async def test_other_buttons_and_messages_go_on_to_the_staff_engine(clean: None) -> None:
    # "kd:call" is the activity-kind button of "log a call": never taken by the digest's hook.
    for payload in ("kd:call", "lc:12", None):
        event = ChatEvent(channel="terminal", external_user_id="x", chat_id="kb-hook",
                          text=None if payload else "khách Lan", payload=payload)  # fmt: skip
        assert await staff_hook(event) is None
