"""Stopping the Telegram inbox ends a long poll at once: `spacrm serve` shuts down (and each test
fixture serving the bot tears down) without waiting out getUpdates' timeout."""

from __future__ import annotations

import asyncio

from pydantic import SecretStr

from spacrm.adapters.app.runtime import build_runtime
from spacrm.core.settings import Settings
from tests.fakes.telegram import FakeTelegram

TOKEN = "123456:STOP"


async def test_stop_ends_a_waiting_long_poll_at_once(db: str) -> None:
    async with FakeTelegram(TOKEN) as tg:
        settings = Settings(telegram_token=SecretStr(TOKEN), telegram_api_base=tg.base_url)
        runtime = build_runtime(settings)
        assert runtime.inbox is not None and runtime.telegram is not None
        poll = asyncio.create_task(runtime.inbox.poll(polling_timeout=30))
        try:
            for _ in range(500):  # until the long poll is waiting on the fake
                if tg.calls("getUpdates"):
                    break
                await asyncio.sleep(0.01)
            assert tg.calls("getUpdates")
            await asyncio.sleep(0.1)
            assert not poll.done()
            loop = asyncio.get_running_loop()
            started = loop.time()
            runtime.inbox.stop()
            await asyncio.wait_for(poll, 10)  # ends without an error
            assert loop.time() - started < 5  # not the 30 s of the long poll
            assert not runtime.inbox.polling
        finally:
            poll.cancel()
            await asyncio.gather(poll, return_exceptions=True)
            await runtime.telegram.bot.session.close()
