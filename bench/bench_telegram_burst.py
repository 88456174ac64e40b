"""Benchmark: staff messages through the fake Telegram Bot API, against a bare aiogram echo bot.

1. Burst: 8 users send 50 messages each at once (400). The clock runs from the first message to
   the last reply the fake records. The same burst goes to a bare aiogram echo bot (aiogram's own
   polling, `message.answer(text)`) on the same fake: the ratio is the figure (target >= 0.10x).
2. Steady: 30 users each send one message a second (30 msg/s offered) for --seconds; p50/p95
   reply latency, per message, from the push to the fake recording the reply (target p95 < 300 ms).

One process, SQLite in a temporary folder (or SPACRM_BENCH_DB_URL), real uvicorn-free runtime:
our polling (store, then confirm), the inbox workers, the engine, the outbox dispatcher.

    .venv/bin/python bench/bench_telegram_burst.py [--users 8] [--per-user 50] [--seconds 10]

The burst runs with the provider limits off (SPACRM_TELEGRAM_CHAT_PER_SECOND=0 and
SPACRM_TELEGRAM_MAX_PER_SECOND=0), as the echo bot has none; the steady run keeps the defaults
(30 msg/s per bot, 1 msg/s per chat with a burst of 3)."""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the fakes live in tests/fakes

TOKEN = "123456:BENCH"
FIRST_USER = 8_800_000


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


class Clock:
    """Matches each reply to the oldest unanswered message of its chat."""

    def __init__(self) -> None:
        self.pushed: dict[int, collections.deque[float]] = collections.defaultdict(
            collections.deque
        )
        self.latencies: list[float] = []
        self.replies = 0
        self.last = 0.0

    def push(self, chat: int) -> None:
        self.pushed[chat].append(time.perf_counter())

    def on_sent(self, sent: Any) -> None:
        now = time.perf_counter()
        self.replies += 1
        self.last = now
        queue = self.pushed.get(sent.chat_id)
        if queue:
            self.latencies.append((now - queue.popleft()) * 1000)


async def burst(tg: Any, users: int, per_user: int, text: str, clock: Clock) -> float:
    total = users * per_user
    started = time.perf_counter()
    for n in range(per_user):
        for u in range(users):
            clock.push(FIRST_USER + u)
            await tg.push_message(FIRST_USER + u, text.format(n=n))
    while clock.replies < total:
        if time.perf_counter() - started > 300:
            raise RuntimeError(f"only {clock.replies}/{total} replies after 300 s")
        await asyncio.sleep(0.005)
    return total / (clock.last - started)


async def echo_bot(tg: Any, users: int, per_user: int) -> float:
    from aiogram import Dispatcher
    from aiogram.types import Message

    from spacrm.adapters.telegram.client import make_bot

    bot = make_bot(TOKEN, tg.base_url)
    dp = Dispatcher()

    @dp.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "?")

    clock = Clock()
    tg.on_sent = clock.on_sent
    polling = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=1))
    await asyncio.sleep(0.5)
    try:
        return await burst(tg, users, per_user, "tin {n}", clock)
    finally:
        await dp.stop_polling()
        polling.cancel()
        await asyncio.gather(polling, return_exceptions=True)
        await bot.session.close()


async def spacrm_bot(tg: Any, users: int, per_user: int, seconds: float) -> None:
    from pydantic import SecretStr

    from spacrm.adapters.app.runtime import build_runtime
    from spacrm.core.models import ChannelIdentity, User
    from spacrm.core.settings import Settings

    staff = await User.filter(role="staff").order_by("id").limit(30)
    for n in range(max(users, 30)):
        tid = str(FIRST_USER + n)
        await ChannelIdentity.get_or_create(
            channel="telegram", external_id=tid,
            defaults={"user": staff[n % len(staff)], "chat_id": tid},
        )  # fmt: skip

    async def run(settings: Settings, work: Any) -> Any:
        runtime = build_runtime(settings)
        assert runtime.inbox is not None
        tasks = [
            asyncio.create_task(runtime.inbox.poll(polling_timeout=1)),
            asyncio.create_task(runtime.inbox.work()),
            asyncio.create_task(runtime.dispatcher.run()),
        ]
        try:
            return await work(runtime)
        finally:
            runtime.inbox.stop()
            runtime.dispatcher.stop()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await runtime.close()

    base = {"telegram_token": SecretStr(TOKEN), "telegram_api_base": tg.base_url}
    clock = Clock()
    tg.on_sent = clock.on_sent

    async def do_burst(runtime: Any) -> float:
        return await burst(tg, users, per_user, "xem khách 0900{n:06d}", clock)

    unlimited = Settings(**base, telegram_chat_per_second=0, telegram_max_per_second=0)
    rate = await run(unlimited, do_burst)
    print(f"spacrm burst: {rate:7.1f} msg/s  ({users}x{per_user}; reply p50 "
          f"{statistics.median(clock.latencies):.0f} ms, p95 {pct(clock.latencies, 95):.0f} ms)")  # fmt: skip
    echo = await echo_bot(tg, users, per_user)
    print(f"echo burst:   {echo:7.1f} msg/s  (bare aiogram echo bot, same fake)")
    print(f"ratio:        {rate / echo:7.3f}x  (target >= 0.10x)")

    steady = Clock()
    tg.on_sent = steady.on_sent

    async def do_steady(runtime: Any) -> None:
        await asyncio.sleep(0.5)
        for second in range(int(seconds)):
            tick = time.perf_counter()
            for u in range(30):
                steady.push(FIRST_USER + u)
                await tg.push_message(FIRST_USER + u, f"xem khách 0911{second:03d}{u:03d}")
                await asyncio.sleep(max(0.0, tick + (u + 1) / 30 - time.perf_counter()))
        deadline = time.perf_counter() + 30
        while steady.replies < 30 * int(seconds) and time.perf_counter() < deadline:
            await asyncio.sleep(0.01)

    await run(Settings(**base), do_steady)
    lat = steady.latencies
    print(f"steady 30 msg/s for {int(seconds)} s: {len(lat)} replies, p50 "
          f"{statistics.median(lat):.0f} ms, p95 {pct(lat, 95):.0f} ms, max {max(lat):.0f} ms "
          f"(target p95 < 300 ms)")  # fmt: skip


async def main(users: int, per_user: int, seconds: float) -> None:
    tmp = tempfile.mkdtemp(prefix="spacrm-bench-")
    os.environ["SPACRM_DATA_DIR"] = tmp
    url = os.environ.get("SPACRM_BENCH_DB_URL") or f"sqlite://{tmp}/bench.sqlite3"
    os.environ["SPACRM_DATABASE_URL"] = url

    from spacrm.core.db import close_db, init_db
    from spacrm.core.seed.demo import load_demo
    from spacrm.core.settings import reset_settings
    from tests.fakes.telegram import FakeTelegram

    reset_settings()
    await init_db(url)
    await load_demo()
    try:
        async with FakeTelegram(TOKEN) as tg:
            await spacrm_bot(tg, users, per_user, seconds)
    finally:
        await close_db()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--per-user", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10)
    a = parser.parse_args()
    asyncio.run(main(a.users, a.per_user, a.seconds))
