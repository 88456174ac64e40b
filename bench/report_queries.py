"""Where a report's time goes: every SQL statement of one report call, slowest first.

Runs against a database seeded by `bench_reports.py --keep FILE` (SQLite):

    .venv/bin/python bench/report_queries.py FILE REPORT LOGIN

REPORT: dashboard, kpi, or a chart id (leads_cared, conversions_by_month, …). The call runs twice
and the second (warm) run is shown.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


async def main(path: str, what: str, login: str) -> None:
    os.environ["SPACRM_DATA_DIR"] = tempfile.mkdtemp(prefix="spacrm-queries-")
    from tortoise import connections

    from spacrm.core.db import close_db, init_db
    from spacrm.core.services.kpi import kpi_report
    from spacrm.core.services.overview import overview
    from spacrm.core.services.reports import chart_data, parse_period
    from spacrm.core.services.users import actor_by_login

    await init_db(f"sqlite://{Path(path).resolve()}")
    conn: Any = connections.get("default")
    stats: list[tuple[float, str]] = []
    plain = conn.execute_query

    async def timed(sql: str, values: Any = None) -> Any:
        t0 = time.perf_counter()
        out = await plain(sql, values)
        stats.append(((time.perf_counter() - t0) * 1000, sql))
        return out

    conn.execute_query = timed
    actor = await actor_by_login(login)
    month, week = parse_period(None), parse_period(None, default="week")
    total = 0.0
    for _ in range(2):
        stats.clear()
        t0 = time.perf_counter()
        if what == "dashboard":
            await overview(actor, week)
        elif what == "kpi":
            await kpi_report(actor, period=month)
        else:
            await chart_data(actor, what, month)
        total = (time.perf_counter() - t0) * 1000
    print(f"{what} as {login}: {total:.0f} ms")
    for ms, sql in sorted(stats, reverse=True)[:8]:
        print(f"  {ms:8.1f} ms  {sql[:200]}")
    await close_db()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
