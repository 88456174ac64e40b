"""Benchmark: the console kanban's first screen (lead_board: per-stage counts, values, 50 cards
per column) with many leads, for a board member (sees all), a team lead and a staff member.

    .venv/bin/python bench/bench_console.py [--leads 100000] [--runs 20]

Fresh SQLite database in a temporary folder (or SPACRM_BENCH_DB_URL). Server time only (the
service call); not a test: prints figures.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

from bench_engine import bench_database, open_demo
from console_setup import insert_leads

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


async def main(n_leads: int, runs: int) -> None:
    url = bench_database()
    from spacrm.core.db import close_db
    from spacrm.core.models import User
    from spacrm.core.services.lead_board import lead_board
    from spacrm.core.services.users import actor_for

    await open_demo(url)
    start = time.perf_counter()
    await insert_leads(n_leads, (0, 500_000, 1_500_000, 3_000_000))
    print(f"inserted {n_leads} leads in {time.perf_counter() - start:.1f} s ({url.split(':')[0]})")
    for login in ("ceo", "tl_q1a", "st_q1a1"):
        actor = await actor_for(await User.get(login=login))
        for sort in ("created", "value"):
            await lead_board(actor, sort=sort)  # warm-up
            ms = []
            for _ in range(runs):
                t0 = time.perf_counter()
                await lead_board(actor, sort=sort)
                ms.append((time.perf_counter() - t0) * 1000)
            print(f"lead_board {login:8} sort={sort:7}  median {statistics.median(ms):7.1f} ms"
                  f"   max {max(ms):7.1f} ms   ({runs} runs)")  # fmt: skip
    await close_db()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    asyncio.run(main(args.leads, args.runs))
