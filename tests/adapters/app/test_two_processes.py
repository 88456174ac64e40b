"""A chain on PostgreSQL: two `spacrm serve` processes behind one webhook address share the
database. Every update is handled once whichever process gets it (even both), every reply is
sent once, exactly one process runs the scheduler, and another takes over when it dies."""

from __future__ import annotations

import asyncio
import os
import signal

import httpx
import pytest

from spacrm.core import clock
from spacrm.core.models import ChannelIdentity, ProcessedEvent, User
from spacrm.core.services.activities import plan_activity
from spacrm.core.services.leads import create_lead
from spacrm.core.services.users import actor_by_login
from tests.adapters.app.proc import Serve, serve_env, start_serve
from tests.conftest import new_phone
from tests.fakes.telegram import FakeTelegram

pytestmark = pytest.mark.skipif(
    not os.environ.get("SPACRM_TEST_POSTGRES_URL"), reason="PostgreSQL only (a chain)"
)
TOKEN, SECRET = "123456:TEST", "chain-secret"
FIRST = 660000


def _update(update_id: int, user: int, text: str) -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id, "date": 1764050000, "text": text,
            "chat": {"id": user, "type": "private"},
            "from": {"id": user, "is_bot": False, "first_name": "Lan"},
        },
    }  # fmt: skip


async def _reminders(tg: FakeTelegram, chat: int) -> list[str]:
    return [s.text or "" for s in tg.sent_messages(chat) if "Nhắc việc" in (s.text or "")]


async def _wait(check, seconds: float = 60) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(seconds * 10)):
        if await check():
            return
        await asyncio.sleep(0.1)
    raise AssertionError("timed out")


async def test_two_serve_processes_share_the_work(db: str) -> None:
    async with FakeTelegram(TOKEN) as tg:
        env = serve_env(
            SPACRM_TELEGRAM_TOKEN=TOKEN, SPACRM_TELEGRAM_API_BASE=tg.base_url,
            SPACRM_TELEGRAM_WEBHOOK_URL="https://spa.example/webhooks/telegram",
            SPACRM_TELEGRAM_WEBHOOK_SECRET=SECRET,
        )  # fmt: skip
        procs: list[Serve] = [await start_serve(env), await start_serve(env)]
        try:
            for p in procs:
                await p.wait_line("serving on")
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            users = [FIRST + n for n in range(20)]
            for u in users:
                tg._remember_user(u, "Lan", None)  # the fake knows the chat
            async with httpx.AsyncClient(timeout=30) as client:
                for n, u in enumerate(users):
                    body = _update(7000 + n, u, "/start")
                    # Delivered to both (a retry after a slow answer lands on the other one).
                    for p in procs:
                        r = await client.post(
                            f"http://127.0.0.1:{p.port}/webhooks/telegram",
                            json=body,
                            headers=headers,
                        )
                        assert r.status_code == 200

            async def all_answered() -> bool:
                return all(tg.sent_messages(u) for u in users)

            await _wait(all_answered)
            await asyncio.sleep(1.0)
            assert all(len(tg.sent_messages(u)) == 1 for u in users)  # handled once, sent once
            events = [f"m:{u}:{7000 + n}" for n, u in enumerate(users)]
            assert await ProcessedEvent.filter(source="telegram", event_id__in=events).count() == 20

            # Reminders: exactly one process (the leader) sends each.
            chat = users[0]
            user = await User.get(login="st_q1a1")
            await ChannelIdentity.get_or_create(
                channel="telegram",
                external_id=str(chat),
                defaults={"user": user, "chat_id": str(chat)},
            )
            actor = await actor_by_login("st_q1a1")
            for n in range(3):
                lead = await create_lead(actor, name=f"Chị Zeta Chuỗi {n}", phone=new_phone())
                await plan_activity(actor, lead_id=lead.id, kind="call", due_at=clock.now())

            async def three() -> bool:
                return len(await _reminders(tg, chat)) >= 3

            await _wait(three)
            await asyncio.sleep(2.5)
            assert len(await _reminders(tg, chat)) == 3
            leaders = [p for p in procs if "now runs the scheduler" in p.output]
            assert len(leaders) == 1, [p.output for p in procs]

            # The leader dies: the other one takes over.
            leader = leaders[0]
            leader.proc.send_signal(signal.SIGKILL)
            await leader.proc.wait()
            lead = await create_lead(actor, name="Chị Zeta Chuỗi Sau", phone=new_phone())
            await plan_activity(actor, lead_id=lead.id, kind="call", due_at=clock.now())

            async def four() -> bool:
                return len(await _reminders(tg, chat)) >= 4

            await _wait(four)
            other = next(p for p in procs if p is not leader)
            assert "now runs the scheduler" in other.output
            assert len(await _reminders(tg, chat)) == 4
        finally:
            for p in procs:
                if p.proc.returncode is None:
                    p.proc.send_signal(signal.SIGTERM)
            for p in procs:
                await asyncio.wait_for(p.proc.wait(), 10)
