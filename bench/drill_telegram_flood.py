"""Drill: the Bot API answers 429 (retry_after 2) to every send for 30 s while 200 messages to
16 chats wait in the outbox. Nothing may be lost or marked failed, each chat must receive its
messages in order, and the 429s must not turn into a storm of send calls.

    .venv/bin/python bench/drill_telegram_flood.py [--seconds 30] [--messages 200] [--chats 16]

Also: --outage S (every method answers 502 for S seconds instead of 429). Fresh SQLite database
in a temporary folder (or SPACRM_BENCH_DB_URL); the real dispatcher, aiogram and the fake."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TOKEN = "123456:DRILL"
FIRST_CHAT = 5_500_000


async def main(seconds: float, messages: int, chats: int, outage: float) -> int:
    tmp = tempfile.mkdtemp(prefix="spacrm-drill-")
    os.environ["SPACRM_DATA_DIR"] = tmp
    url = os.environ.get("SPACRM_BENCH_DB_URL") or f"sqlite://{tmp}/drill.sqlite3"
    os.environ["SPACRM_DATABASE_URL"] = url

    from pydantic import SecretStr

    from spacrm.adapters.app.runtime import build_runtime
    from spacrm.core.db import close_db, init_db
    from spacrm.core.models import OutboxMessage
    from spacrm.core.services import outbox
    from spacrm.core.settings import Settings, reset_settings
    from tests.fakes.telegram import FakeTelegram

    reset_settings()
    await init_db(url)
    try:
        async with FakeTelegram(TOKEN) as tg:
            for c in range(chats):
                tg._remember_user(FIRST_CHAT + c, "Lan", None)
            for n in range(messages):
                chat = FIRST_CHAT + n % chats
                await outbox.enqueue("telegram", str(chat), {"text": f"{chat} #{n // chats:03d}"})
            runtime = build_runtime(
                Settings(telegram_token=SecretStr(TOKEN), telegram_api_base=tg.base_url)
            )
            if outage:
                tg.outage = True
                asyncio.get_running_loop().call_later(outage, setattr, tg, "outage", False)
                print(
                    f"Bot API down (502) for {outage:.0f} s; {messages} messages to {chats} chats"
                )
            else:
                tg.flood(seconds, retry_after=2)
                print(f"Bot API answers 429 (retry_after 2) for {seconds:.0f} s; "
                      f"{messages} messages to {chats} chats")  # fmt: skip
            started = time.perf_counter()
            task = asyncio.create_task(runtime.dispatcher.run())
            deadline = started + max(seconds, outage) + 300
            while await OutboxMessage.filter(status="pending").count():
                if time.perf_counter() > deadline:
                    break
                await asyncio.sleep(0.2)
            elapsed = time.perf_counter() - started
            runtime.dispatcher.stop()
            await task
            await runtime.close()

            sent = tg.sent_messages()
            calls = len(tg.calls("sendMessage"))
            got = {c: [s.text for s in sent if s.chat_id == FIRST_CHAT + c] for c in range(chats)}
            expected = {
                c: [f"{FIRST_CHAT + c} #{i:03d}" for i in range(len(range(c, messages, chats)))]
                for c in range(chats)
            }
            delivered = sum(len(v) for v in got.values())
            in_order = all(got[c] == expected[c] for c in range(chats))
            failed = await OutboxMessage.filter(status="failed").count()
            attempts = max(r.attempts for r in await OutboxMessage.all())
            print(f"delivered {delivered}/{messages} in {elapsed:.1f} s, lost {messages - delivered}, "
                  f"failed {failed}, duplicates {len(sent) - delivered if len(sent) > delivered else 0}")  # fmt: skip
            print(f"order kept in every chat: {in_order}; sendMessage calls: {calls} "
                  f"({calls - messages} refused); most counted attempts on one row: {attempts}")  # fmt: skip
            return 0 if delivered == messages and in_order and not failed else 1
    finally:
        await close_db()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--chats", type=int, default=16)
    parser.add_argument("--outage", type=float, default=0)
    a = parser.parse_args()
    sys.exit(asyncio.run(main(a.seconds, a.messages, a.chats, a.outage)))
