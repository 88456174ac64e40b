"""Benchmark: webhook-to-reply latency through the fakes, over loopback.

The fake Facebook Graph and fake Zalo OA post signed webhooks to the real app served by uvicorn;
the clock stops when the fake records the bot's send (so the figure covers the signature check,
the 200, the background bot work, the outbox commit, the dispatcher and the real HTTP client).
The widget is timed from POST to its inline answer. Also: the staff bot over Zalo.

    .venv/bin/python bench/bench_webhooks.py [--messages 100]

Fresh SQLite database in a temporary folder (or SPACRM_BENCH_DB_URL). Not a test: prints figures.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the fakes live in tests/fakes
KB_FILE = ROOT / "tests" / "customer" / "data" / "kb_spa.csv"

PAGE, PAGE_TOKEN, APP_SECRET = "1000001", "page-token-1", "fb-app-secret"
OA, OA_APP, OA_SECRET, ZALO_APP_SECRET = (
    "4318000000000000001",
    "2001000000000000001",
    "oa-secret",
    "zalo-app-secret",
)
PER_USER = 10  # messages per simulated customer (the first one of each also fetches the profile)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def show(label: str, ms: list[float]) -> None:
    print(f"{label:32} median {statistics.median(ms):7.1f} ms   p95 {pct(ms, 95):7.1f} ms   "
          f"max {max(ms):7.1f} ms   ({len(ms)} messages)")  # fmt: skip


def questions() -> list[str]:
    from spacrm.knowledge.importer import load_qa_file

    # Answerable questions (a handoff would silence the chat): the trained questions themselves.
    return [p.question for p in load_qa_file(KB_FILE)]


async def until_sent(count: Callable[[], int], before: int, timeout: float = 10) -> None:
    deadline = time.perf_counter() + timeout
    while count() <= before:
        if time.perf_counter() > deadline:
            raise RuntimeError("no reply in time")
        await asyncio.sleep(0.0005)


async def timed(n: int, one: Callable[[int], Awaitable[None]]) -> list[float]:
    out = []
    for i in range(n):
        started = time.perf_counter()
        await one(i)
        out.append((time.perf_counter() - started) * 1000)
    return out


async def main(n: int) -> None:
    tmp = tempfile.mkdtemp(prefix="spacrm-bench-")
    os.environ["SPACRM_DATA_DIR"] = tmp
    os.environ["SPACRM_DATABASE_URL"] = (
        os.environ.get("SPACRM_BENCH_DB_URL") or f"sqlite://{tmp}/bench.sqlite3"
    )

    import httpx
    from pydantic import SecretStr

    from spacrm.adapters.app import customer_wiring
    from spacrm.adapters.app.runtime import build_runtime
    from spacrm.core.db import close_db, init_db
    from spacrm.core.models import ChannelIdentity, User
    from spacrm.core.seed.demo import load_demo
    from spacrm.core.services import channels, kb
    from spacrm.core.settings import Settings, reset_settings
    from spacrm.knowledge.importer import load_qa_file
    from tests.fakes.facebook import FakeGraph
    from tests.fakes.zalo import FakeZalo
    from tests.serving import served

    reset_settings()
    await init_db(os.environ["SPACRM_DATABASE_URL"])
    await load_demo()
    pairs = load_qa_file(KB_FILE)
    await kb.import_pairs(
        [kb.QAData(p.id, p.question, p.answer, p.variants) for p in pairs], replace=True
    )
    asks = questions()

    async with FakeGraph() as graph, FakeZalo() as zalo:
        graph.add_page(PAGE, PAGE_TOKEN)
        access, refresh = zalo.add_oa(
            OA, app_id=OA_APP, app_secret_key=ZALO_APP_SECRET, oa_secret_key=OA_SECRET
        )
        await channels.add_channel("facebook", PAGE, access_token=PAGE_TOKEN)
        await channels.add_channel(
            "zalo",
            OA,
            access_token=access,
            refresh_token=refresh,
            app_id=OA_APP,
            secret_key=OA_SECRET,
        )
        settings = Settings(
            facebook_app_secret=SecretStr(APP_SECRET), facebook_graph_base=graph.base_url,
            zalo_app_secret=SecretStr(ZALO_APP_SECRET), zalo_openapi_base=zalo.base_url,
            zalo_oauth_base=zalo.base_url, zns_base=zalo.base_url,
        )  # fmt: skip
        runtime = build_runtime(settings)
        await customer_wiring.attach(runtime)
        async with served(runtime) as base:
            staff_user = "9200000000000000001"
            user = await User.get(login="st_q1a1")
            await ChannelIdentity.create(
                user=user, channel="zalo", external_id=staff_user, chat_id=staff_user
            )
            zalo.add_user(OA, staff_user)

            async def facebook(i: int) -> None:
                psid = f"70{i // PER_USER:014d}"
                before = len(graph.sent)
                status = await graph.deliver_message(
                    f"{base}/webhooks/facebook", PAGE, psid, asks[i % len(asks)],
                    mid=f"m_{uuid.uuid4().hex}", app_secret=APP_SECRET,
                )  # fmt: skip
                assert status == 200
                await until_sent(lambda: len(graph.sent), before)

            async def zalo_customer(i: int) -> None:
                uid = f"80{i // PER_USER:017d}"
                zalo.add_user(OA, uid)
                before = len(zalo.sent)
                assert (
                    await zalo.deliver_text(f"{base}/webhooks/zalo", OA, uid, asks[i % len(asks)])
                    == 200
                )
                await until_sent(lambda: len(zalo.sent), before)

            async def zalo_staff(i: int) -> None:
                before = len(zalo.sent)
                text = ("hướng dẫn", "khách của tôi", "1")[i % 3]
                assert await zalo.deliver_text(f"{base}/webhooks/zalo", OA, staff_user, text) == 200
                await until_sent(lambda: len(zalo.sent), before)

            async with httpx.AsyncClient(base_url=base, timeout=10) as http:

                async def widget(i: int) -> None:
                    body = {"session_id": f"bench-{i // PER_USER}", "text": asks[i % len(asks)]}
                    # Each simulated visitor has its own address (the widget is rate-limited per address).
                    visitor = {
                        "X-Forwarded-For": f"10.77.{i // PER_USER // 250}.{i // PER_USER % 250}"
                    }
                    resp = await http.post("/api/widget/messages", json=body, headers=visitor)
                    assert resp.status_code == 200 and resp.json()["replies"]

                for label, one in (("Facebook (webhook → send)", facebook),
                                   ("Zalo OA customer (webhook → send)", zalo_customer),
                                   ("Website widget (POST → answer)", widget),
                                   ("Zalo OA staff bot (webhook → send)", zalo_staff)):  # fmt: skip
                    await timed(5, one)  # warm-up: first connections, caches
                    show(label, await timed(n, lambda i, one=one: one(i + 1000)))  # type: ignore[misc]
                # What was timed really is the bot's work, not an error message:
                staff_said = [str(m.message.get("text", "")) for m in zalo.messages_to(staff_user)]
                print("last staff-bot reply on Zalo:", staff_said[-1].splitlines()[0][:70])
    await close_db()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100)
    asyncio.run(main(parser.parse_args().messages))
