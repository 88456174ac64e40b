"""Benchmark: the console's configuration pages (users and org tree, channels, Q&A with and without
"try a question", catalogue, operations, settings, failed messages), whole server time of one GET
(routing, session check, service calls, template) through the ASGI app, signed in as the admin, on
the demo database plus many leads (the pages must not grow with the leads).

    .venv/bin/python bench/bench_console_config.py [--leads 100000] [--runs 20]

Fresh SQLite database in a temporary folder (or SPACRM_BENCH_DB_URL). Not a test: prints figures.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import random
import secrets
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

from bench_engine import bench_database, open_demo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PAGES = (
    "/console/users",
    "/console/channels",
    "/console/qa",
    "/console/qa?q=spa+m%E1%BB%9F+c%E1%BB%ADa+m%E1%BA%A5y+gi%E1%BB%9D",
    "/console/catalog",
    "/console/operations",
    "/console/settings",
    "/console/outbox",
)


async def _leads(n_leads: int) -> None:
    from spacrm.core.models import Lead, User
    from spacrm.core.stages import LEAD_STAGES

    staff = [u for u in await User.all() if u.role == "staff"]
    rng = random.Random(7)
    batch: list[Lead] = []
    for n in range(n_leads):
        owner = staff[n % len(staff)]
        lead = Lead(
            name=f"Khách {n}", name_key=f"khach {n}", stage=rng.choice(LEAD_STAGES),
            value=rng.choice([0, 500_000, 1_500_000]), owner_id=owner.id,
            team_id=owner.team_id, branch_id=owner.branch_id, region_id=owner.region_id,
        )  # fmt: skip
        batch.append(lead)
        if len(batch) == 5000:
            await Lead.bulk_create(batch)
            batch = []
    if batch:
        await Lead.bulk_create(batch)


async def main(n_leads: int, runs: int) -> None:
    url = bench_database()
    import httpx

    from spacrm.adapters.app.runtime import build_runtime
    from spacrm.adapters.cli.main import _load_demo_faq
    from spacrm.adapters.web.app import create_app
    from spacrm.adapters.web.console.security import SESSION_COOKIE
    from spacrm.core import clock
    from spacrm.core.db import close_db
    from spacrm.core.models import ConsoleSession, User
    from spacrm.core.settings import get_settings

    await open_demo(url)
    await _load_demo_faq()  # the demo spa's Q&A, as `spacrm init --demo` loads it
    t0 = time.perf_counter()
    await _leads(n_leads)
    print(f"inserted {n_leads} leads in {time.perf_counter() - t0:.1f} s ({url.split(':')[0]})")
    app = create_app(build_runtime(get_settings()))
    token = secrets.token_urlsafe(32)
    await ConsoleSession.create(
        user=await User.get(login="admin"),
        token_hash=hashlib.sha256(token.encode()).hexdigest(),
        expires_at=clock.now() + timedelta(hours=1),
    )
    cookie = app.state.console.signer.sign("session", token)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://bench", cookies={SESSION_COOKIE: cookie}
    ) as client:
        for path in PAGES:
            r = await client.get(path)  # warm-up (the Q&A index is built on the first try)
            assert r.status_code == 200, (path, r.status_code)
            ms = []
            for _ in range(runs):
                t1 = time.perf_counter()
                await client.get(path)
                ms.append((time.perf_counter() - t1) * 1000)
            print(f"{path[:40]:40}  median {statistics.median(ms):6.1f} ms   max {max(ms):6.1f} ms"
                  f"   {len(r.content) // 1024} KiB   ({runs} runs)")  # fmt: skip
    await close_db()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    asyncio.run(main(args.leads, args.runs))
