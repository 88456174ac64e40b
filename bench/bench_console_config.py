"""Benchmark: the console's configuration pages (users and org tree, channels, Q&A with and without
"try a question", catalogue, operations, settings, failed messages), whole server time of one GET
(routing, session check, service calls, template) through the ASGI app, signed in as the admin, on
the demo database plus many leads (the pages must not grow with the leads), many Q&A pairs and a
large catalogue (their lists are paged: first, a far page and a search).

    .venv/bin/python bench/bench_console_config.py [--leads 100000] [--pairs 100000]
        [--items 20000] [--runs 20]

Fresh SQLite database in a temporary folder (or SPACRM_BENCH_DB_URL). Not a test: prints figures.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

from bench_engine import bench_database, open_demo
from console_setup import console_client, insert_leads

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PAGES = (
    "/console/users",
    "/console/users?q=nguyen",
    "/console/channels",
    "/console/qa",
    "/console/qa?page=1000",
    "/console/qa?s=bench-0777",
    "/console/qa?s=l%C3%A0m+%C4%91%E1%BA%B9p+99",
    "/console/qa/pair?id=bench-000777",
    "/console/catalog",
    "/console/catalog?page=200",
    "/console/catalog?q=kem+19",
    "/console/operations",
    "/console/settings",
    "/console/outbox",
    # Last: the first "try a question" builds the bot's index in the background (seconds at 100k
    # pairs), which would slow the pages measured meanwhile.
    "/console/qa?q=spa+m%E1%BB%9F+c%E1%BB%ADa+m%E1%BA%A5y+gi%E1%BB%9D",
)


async def _pairs(n: int) -> None:
    from spacrm.core.services import kb

    rows = [
        kb.QAData(f"bench-{i:06d}", f"Câu hỏi làm đẹp {i} về liệu trình số {i % 997}",
                  f"Dạ, câu trả lời số {i}: spa tư vấn miễn phí.", (f"hỏi {i}", f"biến thể {i}"))
        for i in range(n)
    ]  # fmt: skip
    await kb.import_pairs(rows)


async def _items(n: int) -> None:
    from spacrm.core.models import CatalogItem

    await CatalogItem.bulk_create(
        [
            CatalogItem(
                kind="goods",
                code=f"BK{i:06d}",
                name=f"Kem dưỡng {i}",
                name_key=f"kem duong {i}",
                price=100_000 + i,
            )
            for i in range(n)
        ],
        batch_size=5000,
    )


async def main(n_leads: int, n_pairs: int, n_items: int, runs: int) -> None:
    url = bench_database()
    from spacrm.adapters.cli.main import _load_demo_faq
    from spacrm.core.db import close_db

    await open_demo(url)
    await _load_demo_faq()  # the demo spa's Q&A, as `spacrm init --demo` loads it
    t0 = time.perf_counter()
    await insert_leads(n_leads)
    await _pairs(n_pairs)
    await _items(n_items)
    print(f"inserted {n_leads} leads, {n_pairs} Q&A pairs, {n_items} catalogue items in "
          f"{time.perf_counter() - t0:.1f} s ({url.split(':')[0]})")  # fmt: skip
    async with await console_client("admin") as client:
        for path in PAGES:
            if "bench-" in path and not n_pairs:
                continue
            t1 = time.perf_counter()
            r = await client.get(path)  # warm-up (the Q&A index is built on the first try)
            assert r.status_code == 200, (path, r.status_code)
            warm = (time.perf_counter() - t1) * 1000
            ms = []
            for _ in range(runs):
                t1 = time.perf_counter()
                await client.get(path)
                ms.append((time.perf_counter() - t1) * 1000)
            print(f"{path[:44]:44}  median {statistics.median(ms):6.1f} ms   max {max(ms):6.1f} ms"
                  f"   {len(r.content) // 1024} KiB   (first {warm:.0f} ms, {runs} runs)")  # fmt: skip
    await close_db()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--pairs", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    asyncio.run(main(args.leads, args.pairs, args.items, args.runs))
