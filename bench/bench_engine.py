"""Benchmark: chat turns through the engine, parser throughput, customer search.

Seeds 100,000 leads and 500,000 activities into a fresh SQLite database (or the URL in
SPACRM_BENCH_DB_URL), then prints median / p99 latencies. Not a test: figures go to the README.

    .venv/bin/python bench/bench_engine.py [--leads 100000] [--activities 500000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def show(label: str, ms: list[float]) -> None:
    print(
        f"{label:34} median {statistics.median(ms):7.3f} ms   p95 {pct(ms, 95):7.3f} ms   p99 {pct(ms, 99):7.3f} ms   ({len(ms)} runs)"
    )


async def seed(n_leads: int, n_acts: int) -> list[str]:
    from tortoise import connections

    from spacrm.core.models import User
    from spacrm.core.seed.demo import FAMILY, GIVEN_F, GIVEN_M, MIDDLE_F, PREFIXES
    from spacrm.core.textnorm import fold

    users = [u for u in await User.all() if u.role in ("staff", "team_lead")]
    conn = connections.get("default")
    pg = conn.capabilities.dialect != "sqlite"

    def ts(dt: datetime) -> object:  # asyncpg wants datetimes; SQLite rows store ISO text
        return dt if pg else dt.isoformat()

    async def insert_many(sql: str, rows: list[tuple[object, ...]]) -> None:
        if pg:
            n = 0

            def number(_: object) -> str:
                nonlocal n
                n += 1
                return f"${n}"

            import re

            sql = re.sub(r"\?", number, sql)
        await conn.execute_many(sql, rows)

    rng = random.Random(1)
    now = datetime.now(UTC)
    stages = ["potential", "caring", "booked", "in_service", "dead"]
    leads, entries, phones = [], [], []
    start_id = 1_000_000
    for i in range(n_leads):
        u = users[i % len(users)]
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F + GIVEN_M)}"
        phone = f"{rng.choice(PREFIXES)}{i:07d}"
        phones.append(phone)
        created = ts(now - timedelta(minutes=rng.randrange(0, 500_000)))
        lid = start_id + i
        leads.append(
            (
                lid,
                name,
                fold(name),
                phone,
                rng.choice(stages),
                rng.randrange(0, 20) * 500_000,
                u.id,
                u.team_id,
                u.branch_id,
                u.region_id,
                created,
                created,
            )
        )
        entries.append(
            ("lead", lid, fold(name), phone, phone[::-1], u.id, u.team_id, u.branch_id, u.region_id)
        )
    t0 = time.perf_counter()
    await insert_many(
        "INSERT INTO lead (id, name, name_key, phone, stage, value, owner_id, team_id, branch_id, region_id,"
        " created_at, updated_at, version, calls, meetings, emails, quote_emails)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,1,0,0,0,0)",
        leads,
    )
    await insert_many(
        "INSERT INTO search_entry (kind, ref_id, name_key, phone, phone_rev, owner_id, team_id, branch_id, region_id)"
        " VALUES (?,?,?,?,?,?,?,?,?)",
        entries,
    )
    acts = []
    for _ in range(n_acts):
        i = rng.randrange(n_leads)
        u = users[i % len(users)]
        done = ts(now - timedelta(minutes=rng.randrange(0, 100_000)))
        acts.append(
            (
                rng.choice(["call", "meeting", "email"]),
                "done",
                done,
                start_id + i,
                u.id,
                u.team_id,
                u.branch_id,
                u.region_id,
                done,
                done,
            )
        )
    await insert_many(
        "INSERT INTO activity (kind, status, done_at, lead_id, owner_id, team_id, branch_id, region_id, created_at,"
        " updated_at, version, reminded) VALUES (?,?,?,?,?,?,?,?,?,?,1,false)",
        acts,
    )
    await conn.execute_script("ANALYZE;")
    print(f"seeded {n_leads:,} leads and {n_acts:,} activities in {time.perf_counter() - t0:.1f} s")
    return phones


def bench_database() -> str:
    """A fresh data directory; the database is SPACRM_BENCH_DB_URL or SQLite in it. Call it before
    importing spacrm modules, which read the settings."""
    tmp = Path(tempfile.mkdtemp(prefix="spacrm-bench-"))
    os.environ["SPACRM_DATA_DIR"] = str(tmp)
    return os.environ.get("SPACRM_BENCH_DB_URL") or f"sqlite://{tmp / 'bench.sqlite3'}"


async def open_demo(url: str) -> None:
    """Connect to an empty database (a fresh schema on PostgreSQL) loaded with the demo chain."""
    from spacrm.core.db import init_db
    from spacrm.core.seed.demo import load_demo

    if url.startswith("postgres"):
        import asyncpg

        c = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
        await c.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        await c.close()
    await init_db(url)
    await load_demo()


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--leads", type=int, default=100_000)
    ap.add_argument("--activities", type=int, default=500_000)
    ap.add_argument("--turns", type=int, default=600)
    args = ap.parse_args()
    url = bench_database()
    from spacrm.bot.engine import Engine
    from spacrm.bot.nlu import parse
    from spacrm.core.db import close_db
    from spacrm.core.services.search import search
    from spacrm.core.services.users import actor_by_login
    from spacrm.intents.chat import ChatEvent

    await open_demo(url)
    phones = await seed(args.leads, args.activities)
    actor = await actor_by_login("st_q1a1")
    board = await actor_by_login("ceo")
    rng = random.Random(2)
    from spacrm.core.models import Lead

    # st_q1a1's seeded leads (the demo's owner count changes as features add staff).
    mine = [
        str(p)
        for p in await Lead.filter(owner_id=actor.user_id, id__gte=1_000_000).values_list(
            "phone", flat=True
        )
    ]

    # (c) search
    for label, who, make in (
        (
            "search name part (board)",
            board,
            lambda: rng.choice(["thi lan", "ngoc", "hoang minh", "huong", "tran thu"]),
        ),
        (
            "search name part (staff)",
            actor,
            lambda: rng.choice(["thi lan", "ngoc", "hoang minh", "huong", "tran thu"]),
        ),
        # Issue 6: word starts, not substrings ("yen" must skip the many "nguyen").
        ("search given name 'yen' (board)", board, lambda: "yen"),
        ("search 2 letters 'vy'/'ho' (board)", board, lambda: rng.choice(["vy", "ho", "le"])),
        ("search full name (staff)", actor, lambda: rng.choice(["nguyen thi lan", "le kim vy"])),
        ("search phone prefix 6 (board)", board, lambda: rng.choice(phones)[:6]),
        ("search phone (staff)", actor, lambda: rng.choice(mine)),
        ("search phone suffix 4 (board)", board, lambda: rng.choice(phones)[-4:]),
        ("search phone suffix 6 (staff)", actor, lambda: rng.choice(mine)[-6:]),
    ):
        times = []
        for _ in range(300):
            q = make()
            t0 = time.perf_counter()
            await search(who, q)
            times.append((time.perf_counter() - t0) * 1000)
        show(label, times)

    # (b) parser throughput
    samples = [
        "đã gọi chị Lan 0912 345 678, hẹn thứ 6 qua spa",
        "xem khách 0912345678",
        "kh đang chăm sóc sắp theo doanh số giảm dần",
        "nhắc tôi 9h sáng mai gọi lại anh Minh",
        "chị Lan chuyển khoản 1tr5",
        "thêm khách tiềm năng chị Hoa 0903123456 quan tâm trị mụn nguồn facebook",
    ]
    now = datetime.now(UTC)
    t0 = time.perf_counter()
    n = 0
    while time.perf_counter() - t0 < 2.0:
        for s in samples:
            parse(s, now=now)
            n += 1
    print(f"{'parser throughput':34} {n / (time.perf_counter() - t0):,.0f} messages/s")

    # (a) engine turns
    engine = Engine()
    kinds = {"show": [], "list": [], "log": []}  # type: dict[str, list[float]]
    t_all = time.perf_counter()
    for i in range(args.turns):
        which = ("show", "list", "log")[i % 3]
        phone = rng.choice(mine)
        text = {
            "show": f"xem khách {phone}",
            "list": "kh đang chăm sóc sắp theo doanh số giảm dần",
            "log": f"đã gọi chị Lan {phone} khách hẹn tuần sau",
        }[which]
        event = ChatEvent(channel="bench", external_user_id="b", chat_id=f"bench{i % 7}", text=text)
        t0 = time.perf_counter()
        replies = await engine.handle(event, actor=actor)
        kinds[which].append((time.perf_counter() - t0) * 1000)
        assert replies
    elapsed = time.perf_counter() - t_all
    everything = [x for v in kinds.values() for x in v]
    for k, v in kinds.items():
        show(f"engine turn: {k}", v)
    show("engine turn: all", everything)
    print(f"{'engine throughput':34} {args.turns / elapsed:,.0f} turns/s (one process, sequential)")
    await close_db()


if __name__ == "__main__":
    asyncio.run(main())
