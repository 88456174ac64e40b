"""Leave on Telegram, end to end (#12): real aiogram polling the fake Bot API; the request reaches
the team lead's chat with Duyệt / Từ chối and their mailbox on the fake SMTP server; the lead's
press approves it and the requester is told — everything through the outbox."""

from __future__ import annotations

import asyncio
from datetime import date

from spacrm.core.models import (
    ChannelIdentity,
    LeaveRequest,
    OutboxMessage,
    OvertimeEntry,
    TechnicianDayOff,
    User,
)
from tests.adapters.telegram.test_telegram_e2e import Harness, _link, bot  # noqa: F401


async def test_leave_request_and_approval_on_telegram(bot: Harness) -> None:  # noqa: F811
    staff, lead = 710001, 710002
    try:
        await _leave_on_telegram(bot, staff, lead)
    finally:  # later tests' notices to these demo people must not reach these test chats
        await ChannelIdentity.filter(
            channel="telegram", external_id__in=["710001", "710002"]
        ).delete()


async def _leave_on_telegram(bot: Harness, staff: int, lead: int) -> None:  # noqa: F811
    await _link(bot, staff, "st_q1a1")
    await _link(bot, lead, "tl_q1a")
    # The notice to the lead is queued in the request's transaction, before the reply.
    await bot.tg.push_message(staff, "xin nghỉ phép thứ 6 vì về quê")
    # Chats are sent to in parallel: the reply and the lead's notice may leave in either order.
    got = {}
    for _ in range(2):
        sent = await bot.tg.wait_for_sent(lambda s: s.chat_id in (staff, lead), timeout=30)
        got[sent.chat_id] = sent
    ask, reply = got[lead], got[staff]
    assert "Đã gửi đơn nghỉ 27/11/2026" in (reply.text or "") and "Phép năm còn lại" in (
        reply.text or ""
    )
    user = await User.get(login="st_q1a1")
    req = await LeaveRequest.get(user_id=user.id, day_from=date(2026, 11, 27))
    assert "Võ Ngọc Ánh" in (ask.text or "") and "về quê" in (ask.text or "")
    assert [d for _, d in ask.buttons] == [f"lv:a:{req.id}", f"lv:r:{req.id}"]
    mail = await bot.smtp.wait_for_message(timeout=30)
    assert mail["To"] == "tl_q1a@lotus.example" and "Võ Ngọc Ánh" in str(mail["Subject"])
    done = await bot.press(lead, f"lv:a:{req.id}", ask.message_id)
    assert done.method == "editMessageText" and "Đã duyệt nghỉ cho Võ Ngọc Ánh" in (done.text or "")
    # The requester's notice may have gone out before the lead's edit: look at every send.
    for _ in range(200):
        told = [str(c.params.get("text")) for c in bot.tg.calls("sendMessage")
                if str(c.params.get("chat_id")) == str(staff)]  # fmt: skip
        if any("đã được" in text for text in told):
            break
        await asyncio.sleep(0.05)
    assert any("đã được Phạm Thu Hà duyệt" in text for text in told), told
    await req.refresh_from_db()
    assert req.status == "approved"
    assert not user.is_technician or await TechnicianDayOff.exists(
        user_id=user.id, day=req.day_from
    )


async def test_overtime_withdrawn_on_telegram_and_the_old_button_says_so(bot: Harness) -> None:  # noqa: F811
    staff, lead = 710011, 710012
    try:
        await _link(bot, staff, "st_q1a1")
        await _link(bot, lead, "tl_q1a")
        await bot.tg.push_message(staff, "tăng ca tối nay 2 tiếng")
        got = {}
        for _ in range(2):
            sent = await bot.tg.wait_for_sent(lambda s: s.chat_id in (staff, lead), timeout=30)
            got[sent.chat_id] = sent
        ask = got[lead]
        user = await User.get(login="st_q1a1")
        entry = await OvertimeEntry.get(user_id=user.id, day=date(2026, 11, 25), status="pending")
        assert [d for _, d in ask.buttons] == [f"ov:a:{entry.id}", f"ov:r:{entry.id}"]
        await bot.tg.push_message(staff, "hủy tăng ca tối nay")
        told = {}
        for _ in range(2):
            sent = await bot.tg.wait_for_sent(lambda s: s.chat_id in (staff, lead), timeout=30)
            told[sent.chat_id] = sent.text or ""
        assert "Đã rút tăng ca 2 giờ ngày 25/11/2026" in told[staff]
        assert "đã rút tăng ca" in told[lead]
        done = await bot.press(lead, f"ov:a:{entry.id}", ask.message_id)
        assert "đã rút đơn này" in (done.text or "")
        await entry.refresh_from_db()
        assert entry.status == "withdrawn" and entry.decided_by_id is None
    finally:
        await ChannelIdentity.filter(
            channel="telegram", external_id__in=[str(staff), str(lead)]
        ).delete()
        # The ask and withdrawal mails to the lead: a later test's fake SMTP must not get them.
        await OutboxMessage.filter(
            channel="email", chat_id="tl_q1a@lotus.example", status="pending"
        ).delete()
