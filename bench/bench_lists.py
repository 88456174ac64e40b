"""Benchmark: list search (#20) with 100k leads — one page (50 rows) and its total count, for a
board member (sees all), a team lead and a staff member; and the kanban with filters (#22).

    .venv/bin/python bench/bench_lists.py [--leads 100000] [--runs 10]

Fresh SQLite database in a temporary folder (or SPACRM_BENCH_DB_URL). Server time only (the
service call, as the console page makes it); not a test: prints figures.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_engine import bench_database, open_demo, seed  # noqa: E402


async def main(n_leads: int, runs: int) -> None:
    url = bench_database()
    await open_demo(url)
    await seed(n_leads, 0)
    from tortoise import connections

    from spacrm.core.db import close_db
    from spacrm.core.models import User
    from spacrm.core.services.lead_board import lead_board
    from spacrm.core.services.list_search import Criterion, Search, search_list
    from spacrm.core.services.users import actor_for

    conn = connections.get("default")
    # Give the seeded leads the fields people search: company, source, address.
    await conn.execute_script(
        "UPDATE lead SET company = CASE id % 4 WHEN 0 THEN 'Công ty Hoa Sen' WHEN 1 THEN 'Spa Ánh Dương'"
        " WHEN 2 THEN NULL ELSE 'Thẩm mỹ viện Bình Minh ' || (id % 97) END,"
        " source = CASE id % 3 WHEN 0 THEN 'facebook' WHEN 1 THEN 'zalo' ELSE 'gioi thieu' END,"
        " address = (id % 300) || ' Lê Lợi, Quận ' || (id % 12)"
    )
    searches = {
        "name AND date range": Search((Criterion("name", "nguyen"), Criterion("created_at", "01/01/2026", "31/12/2026"))),
        "company OR source (no marks)": Search((Criterion("company", "anh duong"), Criterion("source", "zalo")), any=True),
        "phone wildcard 090%": Search((Criterion("phone", "090%"),)),
        "address AND value range": Search((Criterion("address", "le loi%quan 3"), Criterion("value", "1tr", "5tr"))),
    }  # fmt: skip
    for login in ("ceo", "tl_q1a", "st_q1a1"):
        actor = await actor_for(await User.get(login=login))
        for label, search in searches.items():
            page = await search_list(actor, "leads", search)  # warm-up
            ms = []
            for _ in range(runs):
                t0 = time.perf_counter()
                await search_list(actor, "leads", search)
                ms.append((time.perf_counter() - t0) * 1000)
            print(f"list {login:8} {label:30} {page.total:>7,} found  median {statistics.median(ms):6.1f} ms"
                  f"  max {max(ms):6.1f} ms")  # fmt: skip
        filters = {
            "no filter": None,
            "source+date filter": Search((Criterion("source", "zalo"), Criterion("created_at", "01/01/2026", ""))),
        }  # fmt: skip
        for label, filt in filters.items():
            await lead_board(actor, search=filt)
            ms = []
            for _ in range(runs):
                t0 = time.perf_counter()
                await lead_board(actor, search=filt)
                ms.append((time.perf_counter() - t0) * 1000)
            print(f"kanban {login:8} {label:38} median {statistics.median(ms):6.1f} ms"
                  f"  max {max(ms):6.1f} ms")  # fmt: skip
    await close_db()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(main(args.leads, args.runs))
