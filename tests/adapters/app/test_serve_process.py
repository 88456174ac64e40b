"""`spacrm serve` as a process: one-line start-up errors (exit 2), clean Ctrl+C / SIGTERM, and
no Telegram message lost when the process is killed right after a burst."""

from __future__ import annotations

import asyncio
import signal
import socket

from spacrm.core.models import ChannelIdentity, InboundUpdate, OutboxMessage, ProcessedEvent, User
from tests.adapters.app.proc import free_port, run_serve, serve_env, start_serve
from tests.fakes.telegram import FakeTelegram

TOKEN = "123456:TEST"


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


async def test_webhook_mode_needs_a_secret(db: str) -> None:
    env = serve_env(
        SPACRM_TELEGRAM_TOKEN=TOKEN, SPACRM_TELEGRAM_WEBHOOK_URL="https://spa.example/wh"
    )
    code, err = await run_serve(env, "--port", str(free_port()))
    assert code == 2 and "SPACRM_TELEGRAM_WEBHOOK_SECRET" in _one_line(err)


async def test_impossible_and_busy_ports_are_one_line(db: str) -> None:
    code, err = await run_serve(serve_env(), "--port", "99999")
    assert code == 2 and "99999" in _one_line(err)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, err = await run_serve(serve_env(), "--port", str(port))
    assert code == 2 and "đang được" in _one_line(err)


async def test_wrong_bot_token_is_one_line(db: str) -> None:
    async with FakeTelegram(TOKEN) as tg:
        env = serve_env(SPACRM_TELEGRAM_TOKEN="123456:WRONG", SPACRM_TELEGRAM_API_BASE=tg.base_url)
        code, err = await run_serve(env, "--port", str(free_port()))
        assert code == 2 and "SPACRM_TELEGRAM_TOKEN" in _one_line(err)
        env["SPACRM_TELEGRAM_TOKEN"] = "not-a-token"
        code, err = await run_serve(env, "--port", str(free_port()))
        assert code == 2 and "SPACRM_TELEGRAM_TOKEN" in _one_line(err)


async def test_ctrl_c_stops_within_5_s_and_keeps_the_queue(db: str) -> None:
    async with FakeTelegram(TOKEN) as tg:
        tg.outage = True  # nothing can be sent: the rows must stay queued
        row = await OutboxMessage.create(
            channel="telegram", chat_id="4242", payload={"text": "giữ lại"}, next_attempt_at=_now()
        )
        env = serve_env(SPACRM_TELEGRAM_TOKEN=TOKEN, SPACRM_TELEGRAM_API_BASE=tg.base_url)
        for sig in (signal.SIGINT, signal.SIGTERM):
            serve = await start_serve(env)
            try:
                await serve.wait_line("serving on")
                await asyncio.sleep(0.5)
                started = asyncio.get_running_loop().time()
                serve.proc.send_signal(sig)
                await asyncio.wait_for(serve.proc.wait(), 5)
                assert asyncio.get_running_loop().time() - started < 5
                await asyncio.sleep(0.2)
                assert serve.proc.returncode == 0, serve.output
                assert "Traceback" not in serve.output, serve.output
            finally:
                await serve.stop()
        await row.refresh_from_db()
        assert row.status == "pending"

        serve = await start_serve(env)  # a second Ctrl+C leaves at once, without a traceback
        try:
            await serve.wait_line("serving on")
            serve.proc.send_signal(signal.SIGINT)
            serve.proc.send_signal(signal.SIGINT)
            await asyncio.wait_for(serve.proc.wait(), 5)
            await asyncio.sleep(0.2)
            assert "Traceback" not in serve.output, serve.output
        finally:
            await serve.stop()
        await row.refresh_from_db()
        assert row.status == "pending"
        await row.delete()


async def test_sigkill_after_a_burst_loses_nothing(db: str) -> None:
    """60 messages arrive, Telegram is told they arrived (the offset moved), the process is
    killed: after the restart all 60 are handled, each once."""
    user_tg = 990001
    user = await User.get(login="st_q1a2")
    await ChannelIdentity.get_or_create(
        channel="telegram",
        external_id=str(user_tg),
        defaults={"user": user, "chat_id": str(user_tg)},
    )
    async with FakeTelegram(TOKEN) as tg:
        env = serve_env(SPACRM_TELEGRAM_TOKEN=TOKEN, SPACRM_TELEGRAM_API_BASE=tg.base_url)
        serve = await start_serve(env)
        try:
            await serve.wait_line("serving on")
            ids = []
            for n in range(60):
                sent = await tg.push_message(user_tg, f"xem khách 0900000{n:03d}")
                ids.append(f"m:{user_tg}:{sent['message']['message_id']}")
            await _until(lambda: not tg._pending, 20)  # the offset moved past all 60
            serve.proc.kill()
            await serve.proc.wait()
        finally:
            await serve.stop()
        handled_before = await ProcessedEvent.filter(source="telegram", event_id__in=ids).count()
        serve = await start_serve(env)
        try:
            await serve.wait_line("serving on")
            for _ in range(600):
                if await ProcessedEvent.filter(source="telegram", event_id__in=ids).count() == 60:
                    break
                await asyncio.sleep(0.1)
        finally:
            serve.proc.send_signal(signal.SIGTERM)
            await asyncio.wait_for(serve.proc.wait(), 10)
        assert handled_before < 60  # the kill did interrupt the burst
        assert await ProcessedEvent.filter(source="telegram", event_id__in=ids).count() == 60
        assert await InboundUpdate.filter(source="telegram").count() == 0
        replies = await OutboxMessage.filter(channel="telegram", chat_id=str(user_tg)).count()
        assert replies >= 60


def _now():  # type: ignore[no-untyped-def]
    from spacrm.core import clock

    return clock.now()


async def _until(check, seconds: float) -> None:  # type: ignore[no-untyped-def]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not check():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.02)
