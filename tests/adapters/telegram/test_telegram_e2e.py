"""The staff bot on Telegram, end to end: real aiogram polling a fake Bot API over loopback,
the emailed code through a real SMTP conversation, replies through the outbox."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from pydantic import SecretStr

from spacrm.adapters.app.runtime import Runtime, build_runtime
from spacrm.core.actors import Actor
from spacrm.core.models import OutboxMessage
from spacrm.core.settings import Settings
from tests.conftest import new_phone
from tests.fakes.smtp import FakeSMTP
from tests.fakes.telegram import FakeTelegram, SentMessage

TOKEN = "123456:TEST"


@dataclass
class Harness:
    tg: FakeTelegram
    smtp: FakeSMTP
    runtime: Runtime

    async def say(self, user: int, text: str, **kw: object) -> SentMessage:
        await self.tg.push_message(user, text, **kw)  # type: ignore[arg-type]
        return await self.tg.wait_for_sent(lambda s: s.chat_id == user, timeout=30)

    async def press(self, user: int, data: str, message_id: int) -> SentMessage:
        await self.tg.push_callback(user, data, message_id)
        return await self.tg.wait_for_sent(lambda s: s.chat_id == user, timeout=30)


@pytest.fixture
async def bot(db: str) -> AsyncIterator[Harness]:
    async with FakeTelegram(TOKEN) as tg:
        smtp = FakeSMTP().start()
        settings = Settings(
            telegram_token=SecretStr(TOKEN), telegram_api_base=tg.base_url,
            smtp_host="127.0.0.1", smtp_port=smtp.port, smtp_from="crm@lotus.example",
        )  # fmt: skip
        runtime = build_runtime(settings)
        runtime.dispatcher.idle_seconds = 0.05
        assert runtime.telegram is not None and runtime.inbox is not None
        tasks = [
            asyncio.create_task(runtime.inbox.poll(polling_timeout=1)),
            asyncio.create_task(runtime.inbox.work()),
            asyncio.create_task(runtime.dispatcher.run()),
        ]
        try:
            yield Harness(tg, smtp, runtime)
        finally:
            runtime.dispatcher.stop()
            runtime.inbox.stop()
            # Let the workers finish what they are doing: a task cancelled inside a database
            # call can leave the shared test connection's lock held for every later test.
            await asyncio.wait(tasks, timeout=5)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await runtime.telegram.bot.session.close()
            smtp.stop()


async def _link(h: Harness, user: int, login: str) -> None:
    welcome = await h.say(user, "/start")
    assert "tên đăng nhập" in (welcome.text or "")
    sent = await h.say(user, login)
    assert "mã 6 số" in (sent.text or "")
    # The outbox delivers at least once: under load an earlier user's code mail can arrive a
    # second time in between. This user's mail is the next one addressed to them.
    mail = await h.smtp.wait_for_message(timeout=30)
    while mail["To"] != f"{login}@lotus.example":
        mail = await h.smtp.wait_for_message(timeout=30)
    body = mail.get_body(preferencelist=("plain",))
    assert body is not None
    code = re.search(r"\b(\d{6})\b", body.get_content())
    assert code
    wrong = f"{(int(code.group(1)) + 1) % 1_000_000:06d}"
    assert "Mã chưa đúng" in ((await h.say(user, wrong)).text or "")
    linked = await h.say(user, code.group(1))
    assert "Đã liên kết" in (linked.text or "")


async def test_link_then_work_from_telegram(bot: Harness, personas: dict[str, Actor]) -> None:
    user = 700001
    before_link = await bot.say(user, "danh sách khách tiềm năng của tôi")
    assert "tên đăng nhập" in (before_link.text or "")  # unlinked users see no data
    await _link(bot, user, "st_q1a2")
    phone = new_phone()
    card = await bot.say(user, f"thêm khách chị Hoa {phone} quan tâm trị mụn nguồn facebook")
    assert "Đã thêm khách tiềm năng Hoa" in (card.text or "")
    assert phone[:4] + " " + phone[4:7] + " " + phone[7:] in (card.text or "")
    move = next(
        data
        for label, data in card.buttons
        if data and data.startswith("mv:") and ":caring:" in data
    )
    assert all(len((data or "").encode()) <= 64 for _, data in card.buttons)
    moved = await bot.press(user, move, card.message_id)
    assert moved.method == "editMessageText" and "Đang chăm sóc" in (moved.text or "")
    assert bot.tg.calls("answerCallbackQuery")
    # The same (now stale) button again: a toast, nothing changes twice.
    await bot.tg.push_callback(user, move, card.message_id)
    for _ in range(100):
        answers = bot.tg.calls("answerCallbackQuery")
        if len(answers) >= 2 and answers[-1].params.get("text"):
            break
        await asyncio.sleep(0.05)
    assert "Nút này đã cũ" in str(bot.tg.calls("answerCallbackQuery")[-1].params.get("text"))


async def test_429_delays_but_never_loses(bot: Harness) -> None:
    user = 700002
    bot.tg.fail_next("sendMessage", 429, retry_after=1)
    started = asyncio.get_running_loop().time()
    welcome = await bot.say(user, "/start")
    assert "tên đăng nhập" in (welcome.text or "")
    assert asyncio.get_running_loop().time() - started >= 0.9
    for _ in range(100):  # the row is marked sent right after the send returns
        rows = await OutboxMessage.filter(chat_id=str(user), channel="telegram")
        if rows and all(r.status == "sent" for r in rows):
            break
        await asyncio.sleep(0.05)
    # retry_after pauses the whole bot (any chat's row may have drawn the 429) and is not a
    # failed attempt: every row went out on its first counted attempt.
    assert rows and all(r.status == "sent" and r.attempts == 1 for r in rows)


async def test_blocked_user_is_a_permanent_failure(bot: Harness) -> None:
    user = 700003
    bot.tg.blocked.add(user)
    await bot.tg.push_message(user, "/start")
    for _ in range(100):
        rows = await OutboxMessage.filter(chat_id=str(user))
        if rows and rows[0].status == "failed":
            break
        await asyncio.sleep(0.05)
    assert rows[0].status == "failed" and "blocked" in (rows[0].last_error or "")


async def test_reminder_reaches_the_owner_on_time(bot: Harness) -> None:
    from datetime import timedelta

    from spacrm.bot.notify import send_due_reminders
    from spacrm.core import clock

    user = 700004
    await _link(bot, user, "st_gva1")
    phone = new_phone()
    await bot.say(user, f"thêm khách anh Khoa {phone}")
    planned = await bot.say(user, f"nhắc tôi 9h sáng mai gọi lại anh Khoa {phone}")
    assert "Đã lên lịch" in (planned.text or "")
    assert await send_due_reminders() == 0  # not yet
    clock.freeze(clock.now() + timedelta(days=2))
    try:
        assert await send_due_reminders() >= 1
        bot.runtime.dispatcher.kick()
        reminder = await bot.tg.wait_for_sent(lambda s: s.chat_id == user, timeout=30)
        assert "Nhắc việc" in (reminder.text or "") and "Khoa" in (reminder.text or "")
        assert any((data or "").startswith("lc:") for _, data in reminder.buttons)
        assert await send_due_reminders() == 0  # once
    finally:
        clock.freeze(None)


def test_long_replies_are_split_under_the_limit() -> None:
    from spacrm.adapters.telegram.render import split_text

    text = ("Dòng tư vấn rất dài 😀. " * 600).strip()
    chunks = split_text(text)
    assert len(chunks) >= 3
    assert all(len(c.encode("utf-16-le")) // 2 <= 4096 for c in chunks)
    assert "".join(chunks).replace(" ", "") == text.replace(" ", "")


async def test_429_halfway_through_a_long_reply_resends_no_part(bot: Harness) -> None:
    """Issue 13 §4: a long text goes out in parts; a 429 after the first part pauses, then the
    rest follows. Every part arrives once, in order."""
    from spacrm.adapters.telegram.render import split_text
    from spacrm.core.services import outbox

    user = 700009
    text = "\n".join(
        f"Dòng {n}: liệu trình chăm sóc da chuyên sâu, giá 1.200.000đ." for n in range(300)
    )
    parts = split_text(text)
    assert len(parts) >= 3
    bot.tg.fail_next("sendMessage", 429, retry_after=1, after=1)  # the second part draws a 429
    await outbox.enqueue("telegram", str(user), {"text": text, "buttons": [[["Xem", "x:1"]]]})
    bot.runtime.dispatcher.kick()
    for _ in range(200):
        row = await OutboxMessage.filter(chat_id=str(user)).first()
        if row is not None and row.status == "sent":
            break
        await asyncio.sleep(0.05)
    assert row is not None and row.status == "sent" and row.attempts == 1
    got = [s.text for s in bot.tg.sent_messages(user)]
    assert got == parts  # the first part once, not again after the 429
    assert len(bot.tg.calls("sendMessage")) >= len(parts) + 1  # the 429 really happened
