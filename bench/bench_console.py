"""Benchmark: the console kanban's first screen (lead_board: per-stage counts, values, 50 cards
per column) with many leads, for a board member (sees all), a team lead and a staff member.

    .venv/bin/python bench/bench_console.py [--leads 100000] [--runs 20]

Fresh SQLite database in a temporary folder (or SPACRM_BENCH_DB_URL). Server time only (the
service call); not a test: prints figures.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


async def main(n_leads: int, runs: int) -> None:
    tmp = tempfile.mkdtemp(prefix="bench_console_")
    os.environ["SPACRM_DATA_DIR"] = tmp
    url = os.environ.get("SPACRM_BENCH_DB_URL") or f"sqlite://{Path(tmp) / 'bench.sqlite3'}"
    from spacrm.core.db import close_db, init_db
    from spacrm.core.models import Lead, User
    from spacrm.core.seed.demo import load_demo
    from spacrm.core.services.lead_board import lead_board
    from spacrm.core.services.users import actor_for
    from spacrm.core.stages import LEAD_STAGES

    await init_db(url)
    await load_demo()
    staff = [u for u in await User.all() if u.role == "staff"]
    rng = random.Random(7)
    start = time.perf_counter()
    batch: list[Lead] = []
    for n in range(n_leads):
        owner = staff[n % len(staff)]
        lead = Lead(
            name=f"Khách {n}", name_key=f"khach {n}", stage=rng.choice(LEAD_STAGES),
            value=rng.choice([0, 500_000, 1_500_000, 3_000_000]), owner_id=owner.id,
            team_id=owner.team_id, branch_id=owner.branch_id, region_id=owner.region_id,
        )  # fmt: skip
        batch.append(lead)
        if len(batch) == 5000:
            await Lead.bulk_create(batch)
            batch = []
    if batch:
        await Lead.bulk_create(batch)
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
