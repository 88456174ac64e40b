"""Webhook mode: the secret token header is checked; a good update is answered through the outbox."""

from __future__ import annotations

import asyncio

import httpx
from pydantic import SecretStr

from spacrm.adapters.app.runtime import build_runtime
from spacrm.adapters.web.app import create_app
from spacrm.core.settings import Settings
from tests.fakes.telegram import FakeTelegram


def _update(update_id: int, user: int, text: str) -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id, "date": 1764050000, "text": text,
            "chat": {"id": user, "type": "private"},
            "from": {"id": user, "is_bot": False, "first_name": "Lan"},
        },
    }  # fmt: skip


async def test_webhook_checks_secret_and_replies_once(db: str) -> None:
    async with FakeTelegram("123456:TEST") as tg:
        settings = Settings(
            telegram_token=SecretStr("123456:TEST"), telegram_api_base=tg.base_url,
            telegram_webhook_url="https://spa.example/webhooks/telegram",
            telegram_webhook_secret=SecretStr("s3cret-token"),
        )  # fmt: skip
        runtime = build_runtime(settings)
        runtime.dispatcher.idle_seconds = 0.05
        runner = asyncio.create_task(runtime.dispatcher.run())
        assert runtime.inbox is not None
        worker = asyncio.create_task(runtime.inbox.work())
        app = create_app(runtime)
        try:
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://t"
            ) as client:
                forged = await client.post("/webhooks/telegram", json=_update(901, 800001, "/start"),
                                           headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"})  # fmt: skip
                assert forged.status_code == 401
                headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}
                for _ in range(2):  # Telegram re-delivers: handled once
                    ok = await client.post(
                        "/webhooks/telegram", json=_update(902, 800001, "/start"), headers=headers
                    )
                    assert ok.status_code == 200
                junk = await client.post("/webhooks/telegram", content=b"not json", headers=headers)
                assert junk.status_code == 200
            sent = await tg.wait_for_sent(lambda s: s.chat_id == 800001, timeout=10)
            assert "tên đăng nhập" in (sent.text or "")
            await asyncio.sleep(0.5)
            assert len(tg.sent_messages(800001)) == 1
        finally:
            runtime.dispatcher.stop()
            runtime.inbox.stop()
            await asyncio.gather(runner, worker)
            assert runtime.telegram is not None
            await runtime.telegram.bot.session.close()
