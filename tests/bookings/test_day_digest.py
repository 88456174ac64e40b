"""The day digest: each technician linked on Telegram gets their own day, each front desk the
branch's day, through the fake Bot API; once a day, also with two scheduler processes."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import AsyncIterator
from datetime import date, datetime
from pathlib import Path

import pytest

from spacrm.bot.day_digest import send_day_digests
from spacrm.core import clock
from spacrm.core.models import ChannelIdentity, OutboxMessage, ReportSend
from spacrm.core.services import bookings
from tests.adapters.telegram.test_telegram_e2e import Harness, bot  # noqa: F401
from tests.bookings.conftest import Spa, at

ROOT = Path(__file__).resolve().parents[2]
WED = date(2026, 11, 25)  # the fixtures' today


_linked: list[str] = []


@pytest.fixture(autouse=True)
async def _unlink() -> AsyncIterator[None]:
    # Staff chats made here must not outlive the test: later tests route customer hand-offs to
    # a front desk that is linked on a staff chat.
    yield
    await ChannelIdentity.filter(channel="telegram", external_id__in=_linked).delete()
    _linked.clear()


async def _link(spa: Spa, user_id: int, k: int) -> int:
    chat = 7_400_000 + spa.n * 10 + k  # numeric, like real Telegram ids
    await ChannelIdentity.create(user_id=user_id, channel="telegram",
                                 external_id=str(chat), chat_id=str(chat))  # fmt: skip
    _linked.append(str(chat))
    return chat


async def _texts(chat: int) -> list[str]:
    rows = await OutboxMessage.filter(chat_id=str(chat)).order_by("id")
    return [str(m.payload["text"]) for m in rows]


async def test_technicians_and_front_desk_get_their_day_once(bot: Harness, spa: Spa) -> None:  # noqa: F811
    hoa, mai = spa.techs
    hoa_chat, mai_chat = await _link(spa, hoa.id, 1), await _link(spa, mai.id, 2)
    desk_chat = await _link(spa, spa.desk.user_id, 3)
    lan, vy = await spa.lead("Lan"), await spa.lead("Vy")
    await spa.course(lan, spa.laser, sessions=10, sessions_used=2)
    laser = await bookings.book_appointment(spa.desk, lead_id=lan.id, service_id=spa.laser.id,
                                            starts_at=at(WED, "15:30"), technician_id=hoa.id)  # fmt: skip
    await bookings.book_appointment(spa.desk, lead_id=vy.id, service_id=spa.facial.id,
                                    starts_at=at(WED, "11:00"), technician_id=hoa.id)  # fmt: skip
    assert laser.appointment.course_id is not None

    clock.freeze(datetime(2026, 11, 25, 7, 0))  # before 07:30: nothing yet
    await send_day_digests()
    assert await _texts(hoa_chat) == [] and await _texts(desk_chat) == []

    clock.freeze(datetime(2026, 11, 25, 7, 31))
    await send_day_digests()
    await send_day_digests()  # the next tick (or a restart) sends nothing more
    bot.runtime.dispatcher.kick()
    got = await bot.tg.wait_for_sent(lambda s: s.chat_id == hoa_chat, timeout=10)
    text = got.text or ""
    assert text.startswith("☀️ Chào buổi sáng! Lịch của bạn hôm nay"), text
    assert text.index(vy.name) < text.index(lan.name)  # by time
    assert "11:00–12:00" in text and "Phòng 1" in text
    assert "15:30–15:50" in text and "Phòng laser" in text and "buổi 3/10" in text
    desk = await bot.tg.wait_for_sent(lambda s: s.chat_id == desk_chat, timeout=10)
    dtext = desk.text or ""
    assert f"— {spa.branch.name}: 2 lịch, 1 KTV" in dtext, dtext
    # Hoa's 11:00 starts after 09:00 + 30 min: free from opening; Mai has nothing booked.
    assert "KTV Hoa — 2 lịch, rảnh từ 09:00" in dtext and "KTV chưa có lịch: Mai" in dtext
    assert lan.name in dtext and vy.name in dtext
    assert await _texts(mai_chat) == []  # nothing booked: no message
    assert len(await _texts(hoa_chat)) == 1 and len(await _texts(desk_chat)) == 1
    assert await ReportSend.filter(kind="day_digest", user_id=mai.id, day=WED).exists()


async def test_front_desk_without_appointments_and_two_processes(spa: Spa, db: str) -> None:
    day = date(2026, 11, 27)  # a Friday nobody booked in this branch
    desk_chat = await _link(spa, spa.desk.user_id, 4)
    go_at = time.time() + 3.0  # both processes connect first, then tick at this instant
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.bookings.digest_worker",
            db,
            "2026-11-27T08:00:00",
            str(go_at),
            cwd=str(ROOT),
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(2)
    ]
    outs = [await p.communicate() for p in procs]
    assert all(p.returncode == 0 for p in procs), [e.decode()[-800:] for _, e in outs]
    texts = await _texts(desk_chat)
    assert len(texts) == 1 and "Hôm nay chưa có lịch" in texts[0], texts
    assert "KTV chưa có lịch: Hoa, Mai" in texts[0]
    assert (
        await ReportSend.filter(kind="day_digest", user_id=spa.desk.user_id, day=day).count() == 1
    )
