"""The scheduled morning summary reaches a manager through the fake Telegram, once a day, with
their scope's figures."""

from __future__ import annotations

import asyncio
from datetime import datetime

from spacrm.bot.morning import send_morning_summaries
from spacrm.core import clock
from spacrm.core.models import OutboxMessage, ReportSend, User
from tests.adapters.telegram.test_telegram_e2e import Harness, _link, bot  # noqa: F401
from tests.reports.conftest import March


async def test_morning_summary_once_through_telegram(bot: Harness, march: March) -> None:  # noqa: F811
    user = 700101
    await _link(bot, user, "tl_q1a")
    lead = await User.get(login="tl_q1a")
    clock.freeze(datetime(2025, 3, 8, 7, 0))  # before 07:30: not yet
    await send_morning_summaries()
    assert not await ReportSend.filter(user_id=lead.id, day="2025-03-08").exists()
    clock.freeze(datetime(2025, 3, 8, 7, 45))
    # Two schedulers on the same tick: the claim and the message are one transaction, so exactly
    # one message is queued for this manager (never none, never two).
    first, second = await asyncio.gather(send_morning_summaries(), send_morning_summaries())
    assert first + second >= 1
    payloads = await OutboxMessage.filter(chat_id=str(user)).values_list("payload", flat=True)
    assert sum("Chào buổi sáng" in str(p) for p in payloads) == 1
    bot.runtime.dispatcher.kick()
    sent = await bot.tg.wait_for_sent(lambda s: s.chat_id == user, timeout=10)
    text = sent.text or ""
    # yesterday (7 March) team Q1-A sold 1,5tr and took 1,5tr; team Q1-B's 3tr is not theirs
    assert "Chào buổi sáng" in text and "Doanh số hôm qua: 1.500.000 ₫" in text, text
    assert "Thu: 1.500.000 ₫" in text and "Lịch hẹn hôm nay: 0" in text
    assert any(data == "db" for _, data in sent.buttons)
    await send_morning_summaries()  # the next tick: nothing new for this manager today
    assert await ReportSend.filter(user_id=lead.id, kind="morning").count() == 1
