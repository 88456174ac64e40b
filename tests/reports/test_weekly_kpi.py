"""The weekly KPI image reaches a manager through the fake Telegram on Monday, once a week."""

from __future__ import annotations

from datetime import datetime

from spacrm.bot.weekly_kpi import send_weekly_kpis
from spacrm.core import clock
from spacrm.core.models import ReportSend, User
from tests.adapters.telegram.test_telegram_e2e import Harness, _link, bot  # noqa: F401
from tests.reports.conftest import March


async def test_weekly_kpi_once_on_monday(bot: Harness, march: March) -> None:  # noqa: F811
    user = 700202
    await _link(bot, user, "tl_q1a")
    lead = await User.get(login="tl_q1a")
    clock.freeze(datetime(2025, 3, 9, 9, 0))  # Sunday: not a Monday
    assert await send_weekly_kpis() == 0
    clock.freeze(datetime(2025, 3, 10, 7, 0))  # Monday before 08:00: not yet
    assert await send_weekly_kpis() == 0
    clock.freeze(datetime(2025, 3, 10, 8, 5))
    assert await send_weekly_kpis() >= 1
    bot.runtime.dispatcher.kick()
    sent = await bot.tg.wait_for_sent(
        lambda s: s.method == "sendPhoto" and "KPI hằng tuần" in (s.text or ""), timeout=10
    )
    # last week (3–9 March 2025) of team Q1-A: three calls and one meeting by Võ Ngọc Ánh
    assert "tuần 10" in (sent.text or "") and "photo" in sent.files, sent.text
    assert await send_weekly_kpis() == 0  # the next tick: already sent this week
    assert await ReportSend.filter(user_id=lead.id, kind="weekly_kpi").count() == 1
