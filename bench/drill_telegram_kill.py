"""Drill: a staff member sends 60 messages, Telegram is told they arrived (the polling offset
moved on), then `spacrm serve` is killed (SIGKILL, or SIGTERM with --term). After a restart
every message must be handled, once.

    .venv/bin/python bench/drill_telegram_kill.py [--messages 60] [--term]

A real `spacrm serve` process on a fresh SQLite database (or SPACRM_BENCH_DB_URL) against the
fake Bot API in this process."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TOKEN = "123456:KILL"
USER = 990077


async def main(messages: int, term: bool) -> int:
    tmp = tempfile.mkdtemp(prefix="spacrm-drill-")
    os.environ["SPACRM_DATA_DIR"] = tmp
    url = os.environ.get("SPACRM_BENCH_DB_URL") or f"sqlite://{tmp}/drill.sqlite3"
    os.environ["SPACRM_DATABASE_URL"] = url
    subprocess.run([sys.executable, "-m", "spacrm.adapters.cli.main", "init", "--demo"],
                   check=True, capture_output=True)  # fmt: skip

    from spacrm.core.db import close_db, init_db
    from spacrm.core.models import ChannelIdentity, OutboxMessage, ProcessedEvent, User
    from spacrm.core.settings import reset_settings
    from tests.adapters.app.proc import serve_env, start_serve
    from tests.fakes.telegram import FakeTelegram

    reset_settings()
    await init_db(url)
    user = await User.get(login="st_q1a1")
    await ChannelIdentity.get_or_create(
        channel="telegram", external_id=str(USER), defaults={"user": user, "chat_id": str(USER)}
    )
    try:
        async with FakeTelegram(TOKEN) as tg:
            env = serve_env(SPACRM_TELEGRAM_TOKEN=TOKEN, SPACRM_TELEGRAM_API_BASE=tg.base_url)
            serve = await start_serve(env)
            await serve.wait_line("serving on")
            ids = []
            for n in range(messages):
                sent = await tg.push_message(USER, f"xem khách 0900000{n:03d}")
                ids.append(f"m:{USER}:{sent['message']['message_id']}")
            while tg._pending:  # until the offset has moved past every message
                await asyncio.sleep(0.01)
            serve.proc.send_signal(signal.SIGTERM if term else signal.SIGKILL)
            await serve.proc.wait()
            before = await ProcessedEvent.filter(source="telegram", event_id__in=ids).count()
            how = "SIGTERM" if term else "SIGKILL"
            print(f"{messages} messages acknowledged to Telegram; {how}: {before} handled so far")
            started = time.perf_counter()
            serve = await start_serve(env)
            await serve.wait_line("serving on")
            done = before
            while done < messages and time.perf_counter() - started < 120:
                await asyncio.sleep(0.2)
                done = await ProcessedEvent.filter(source="telegram", event_id__in=ids).count()
            serve.proc.send_signal(signal.SIGTERM)
            await serve.proc.wait()
            replies = len(tg.sent_messages(USER))
            queued = await OutboxMessage.filter(chat_id=str(USER), status="pending").count()
            print(f"after the restart: {done}/{messages} handled in "
                  f"{time.perf_counter() - started:.1f} s, lost {messages - done}; replies sent "
                  f"{replies}, queued {queued} (Telegram allows ~1 message/s to one chat)")  # fmt: skip
            return 0 if done == messages else 1
    finally:
        await close_db()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=60)
    parser.add_argument("--term", action="store_true", help="SIGTERM instead of SIGKILL")
    a = parser.parse_args()
    sys.exit(asyncio.run(main(a.messages, a.term)))
