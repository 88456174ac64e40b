"""Benchmark: the console kanban's first screen (lead_board: per-stage counts, values, 50 cards
per column) with many leads — every combination of its filters (owner, source, date range) and
both sorts (created date, value), for a board member (sees all), a region manager, a branch
director, a team lead and a staff member; and the "more" page of one column (keyset).

    .venv/bin/python bench/bench_console.py [--leads 100000] [--runs 5] [--roles ceo,st_q1a1]

Fresh SQLite database in a temporary folder (or SPACRM_BENCH_DB_URL, whose schema is dropped).
The leads are console_setup.board_leads' (bench_engine's, created over ~350 days, with a source).
Server time only (the service call, as the console page makes it); not a test: prints figures.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

from bench_engine import bench_database, open_demo
from console_setup import board_leads

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ROLES = ("ceo", "rm_nam", "bd_q1", "tl_q1a", "st_q1a1")


async def main(n_leads: int, runs: int, roles: tuple[str, ...]) -> None:
    url = bench_database()
    await open_demo(url)
    await board_leads(n_leads)
    from spacrm.core import clock
    from spacrm.core.db import close_db
    from spacrm.core.models import User
    from spacrm.core.services.lead_board import column_page, lead_board
    from spacrm.core.services.list_search import Criterion, Search
    from spacrm.core.services.users import actor_for

    today = clock.today()
    since, until = (
        (today - timedelta(days=60)).isoformat(),
        (today - timedelta(days=30)).isoformat(),
    )
    worst = 0.0
    print(f"{n_leads:,} leads ({url.split(':')[0]}); date range {since} – {until}; {runs} runs")
    for login in roles:
        actor = await actor_for(await User.get(login=login))
        # A colleague inside every wider scope; a staff member filters on themselves.
        owner_login = "st_q1a1" if login == "st_q1a1" else "st_q1a2"
        owner = await User.get(login=owner_login)
        parts = {
            "owner": Criterion("owner_id", str(owner.id)),
            "source": Criterion("source", "zalo"),
            "dates": Criterion("created_at", since, until),
        }
        for n in range(len(parts) + 1):
            for combo in itertools.combinations(parts, n):
                search = Search(tuple(parts[p] for p in combo)) if combo else None
                label = "+".join(combo) or "no filter"
                for sort in ("created", "value"):
                    cols = await lead_board(actor, sort=sort, search=search)  # warm-up
                    ms = []
                    for _ in range(runs):
                        t0 = time.perf_counter()
                        await lead_board(actor, sort=sort, search=search)
                        ms.append((time.perf_counter() - t0) * 1000)
                    worst = max(worst, statistics.median(ms))
                    shown = sum(c.count for c in cols)
                    print(f"kanban {login:8} {label:19} sort={sort:7} {shown:>7,} leads"
                          f"  median {statistics.median(ms):6.1f} ms  max {max(ms):6.1f} ms")  # fmt: skip
                    if not combo:
                        col = next(c for c in cols if len(c.leads) == 50)
                        ms = []
                        for _ in range(runs):
                            t0 = time.perf_counter()
                            await column_page(
                                actor, col.stage, sort=sort, after=col.next, search=search
                            )
                            ms.append((time.perf_counter() - t0) * 1000)
                        print(f"more   {login:8} {col.stage:19} sort={sort:7}"
                              f"                 median {statistics.median(ms):6.1f} ms"
                              f"  max {max(ms):6.1f} ms")  # fmt: skip
    print(f"slowest median: {worst:.1f} ms")
    await close_db()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--roles", default=",".join(ROLES))
    args = parser.parse_args()
    asyncio.run(main(args.leads, args.runs, tuple(args.roles.split(","))))
