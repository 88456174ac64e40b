"""A long export says how far it is: on Telegram one message, edited (editMessageText), before
the file; in the terminal a printed line. The threshold is lowered so the small March data
counts as "long"; the rows are real."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from spacrm.intents.staff import export_report
from tests.adapters.telegram.test_telegram_e2e import Harness, _link, bot  # noqa: F401
from tests.reports.conftest import March


async def test_progress_message_is_edited_before_the_file(
    bot: Harness,  # noqa: F811
    march: March,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(export_report, "PROGRESS_MIN_ROWS", 3)
    user = 700303
    await _link(bot, user, "bd_q1")
    await bot.tg.push_message(user, "xuất excel khách tiềm năng tháng 3/2025")
    first = await bot.tg.wait_for_sent(
        lambda s: s.chat_id == user and "Đang xuất" in (s.text or ""), timeout=30
    )
    assert first.method == "sendMessage" and "0/11 dòng (0%)" in (first.text or ""), first.text
    done = await bot.tg.wait_for_sent(
        lambda s: s.chat_id == user and s.method == "editMessageText", timeout=30
    )
    assert (
        done.message_id == first.message_id
        and "xong" in (done.text or "")
        and "11 dòng" in (done.text or "")
    )
    doc = await bot.tg.wait_for_sent(
        lambda s: s.chat_id == user and s.method == "sendDocument", timeout=30
    )
    rows = list(load_workbook(io.BytesIO(doc.files["document"])).active.iter_rows(values_only=True))
    assert len(rows) == 12  # header + the 11 March leads of branch Q1
