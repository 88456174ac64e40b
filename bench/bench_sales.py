"""Benchmark: sales chat turns (create_order, record_payment) and order look-ups on a large chain.

Seeds the demo chain, then N leads (default 100,000), 300,000 orders (one line each) and
500,000 receipts into a fresh SQLite database (or the URL in SPACRM_BENCH_DB_URL), and prints
median / p95 latencies. Not a test: the figures go to the README (issue 8 targets: a
create_order or record_payment chat turn median < 15 ms; order search by number or customer
p95 < 5 ms).

    .venv/bin/python bench/bench_sales.py [--leads 100000] [--orders 300000] [--vouchers 500000]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_engine import bench_database, open_demo, pct, seed, show


async def seed_sales(n_leads: int, n_orders: int, n_vouchers: int) -> None:
    from tortoise import connections

    from spacrm.core.models import Lead, User

    conn = connections.get("default")
    pg = conn.capabilities.dialect != "sqlite"
    users = {u.id: u for u in await User.all()}

    def val(v: object) -> object:  # asyncpg wants date/datetime objects; SQLite stores ISO text
        return v if pg or not isinstance(v, date | datetime) else v.isoformat()

    async def insert_many(sql: str, rows: list[tuple[object, ...]]) -> None:
        if pg:
            counter = iter(range(1, 1000))
            sql = re.sub(r"\?", lambda _: f"${next(counter)}", sql)
        for start in range(0, len(rows), 20_000):
            await conn.execute_many(
                sql, [tuple(val(v) for v in r) for r in rows[start : start + 20_000]]
            )

    rng = random.Random(3)
    leads = await Lead.filter(id__gte=1_000_000).values_list("id", "name", "phone", "owner_id")
    now = datetime.now(UTC)
    t0 = time.perf_counter()
    orders, lines, totals = [], [], []
    for n in range(n_orders):
        lead_id, name, phone, owner_id = leads[rng.randrange(len(leads))]
        u = users[owner_id]
        total = rng.choice([350_000, 520_000, 1_500_000, 2_500_000])
        day = (now - timedelta(days=rng.randrange(0, 700))).date()
        status = rng.choice(["paid", "paid", "partly_paid", "confirmed", "cancelled"])
        number = f"HD2025-{n + 1:06d}"
        oid = 1_000_000 + n
        totals.append((oid, lead_id, owner_id, total))
        orders.append((oid, number, number.replace("-", ""), day, u.branch_id, lead_id, name, phone,
                       status, total, 0, total, total if status == "paid" else 0, owner_id,
                       u.id, u.team_id, u.branch_id, u.region_id, now, now))  # fmt: skip
        lines.append((oid, "service", "Massage body 5 buổi", 1, 5, total, total, total, 15))
    await insert_many(
        "INSERT INTO sales_order (id, number, code, order_date, site_branch_id, lead_id, customer_name,"
        " customer_phone, status, subtotal, discount, total, paid, created_by_id, owner_id, team_id,"
        " branch_id, region_id, created_at, updated_at, version)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1)",
        orders,
    )
    await insert_many(
        "INSERT INTO order_line (order_id, kind, name, quantity, sessions, list_price, unit_price,"
        " amount, commission_pct) VALUES (?,?,?,?,?,?,?,?,?)",
        lines,
    )
    vouchers = []
    for n in range(n_vouchers):
        oid, lead_id, owner_id, total = totals[rng.randrange(len(totals))]
        u = users[owner_id]
        day = (now - timedelta(days=rng.randrange(0, 700))).date()
        number = f"PT2025-{n + 1:06d}"
        vouchers.append((number, "receipt", "Thu tiền", day, total // 2, "done", "cash",
                         u.branch_id, lead_id, oid, owner_id, u.id, u.team_id, u.branch_id,
                         u.region_id, now, now))  # fmt: skip
    await insert_many(
        "INSERT INTO voucher (number, kind, name, voucher_date, amount, status, method,"
        " site_branch_id, lead_id, order_id, created_by_id, owner_id, team_id, branch_id,"
        " region_id, created_at, updated_at, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1)",
        vouchers,
    )
    await conn.execute_script("ANALYZE;")
    print(f"seeded {n_orders:,} orders and {n_vouchers:,} vouchers in {time.perf_counter() - t0:.1f} s"
          f" (on {n_leads:,} leads)")  # fmt: skip


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--leads", type=int, default=100_000)
    ap.add_argument("--orders", type=int, default=300_000)
    ap.add_argument("--vouchers", type=int, default=500_000)
    ap.add_argument("--turns", type=int, default=300)
    args = ap.parse_args()
    url = bench_database()
    from spacrm.bot.engine import Engine
    from spacrm.core.db import close_db
    from spacrm.core.models import Order
    from spacrm.core.services.orders import get_order, search_orders
    from spacrm.core.services.users import actor_by_login
    from spacrm.intents.chat import ChatEvent

    await open_demo(url)
    await seed(args.leads, 0)
    await seed_sales(args.leads, args.orders, args.vouchers)
    actor = await actor_by_login("st_q1a1")
    from spacrm.core.models import Lead

    mine = [
        (str(phone), str(name).split()[-1])
        for phone, name in await Lead.filter(owner_id=actor.user_id, id__gte=1_000_000)
        .limit(args.turns)
        .values_list("phone", "name")
    ]
    assert len(mine) >= args.turns, "not enough seeded leads for st_q1a1: lower --turns"
    rng = random.Random(2)

    engine = Engine()
    create, pay = [], []
    numbers: list[str] = []
    for i in range(args.turns):
        phone, given = mine[i]
        text = f"bán gói massage body 5 buổi cho chị {given} {phone}"
        event = ChatEvent(channel="bench", external_user_id="b", chat_id=f"bs{i}", text=text,
                          event_id=f"c{i}")  # fmt: skip
        t0 = time.perf_counter()
        replies = await engine.handle(event, actor=actor)
        create.append((time.perf_counter() - t0) * 1000)
        assert "Đã tạo đơn" in replies[0].text, replies[0].text
        numbers.append(replies[0].text.split("Đã tạo đơn ")[1].split()[0])
    for i, number in enumerate(numbers):
        text = f"thu tiền mặt 500k đơn {number}"
        event = ChatEvent(channel="bench", external_user_id="b", chat_id=f"bp{i}", text=text,
                          event_id=f"p{i}")  # fmt: skip
        t0 = time.perf_counter()
        replies = await engine.handle(event, actor=actor)
        pay.append((time.perf_counter() - t0) * 1000)
        assert "Đã thu 500.000" in replies[0].text, replies[0].text
    # The same engine's cheapest write-free turn, for scale on a busy machine.
    base = []
    for i in range(args.turns):
        phone, _ = mine[i]
        event = ChatEvent(channel="bench", external_user_id="b", chat_id=f"bx{i}",
                          text=f"xem khách {phone}", event_id=f"x{i}")  # fmt: skip
        t0 = time.perf_counter()
        await engine.handle(event, actor=actor)
        base.append((time.perf_counter() - t0) * 1000)
    show("chat turn: show_customer (baseline)", base)
    show("chat turn: create_order", create)
    show("chat turn: record_payment", pay)

    board = await actor_by_login("ceo")
    seeded = [f"HD2025-{rng.randrange(1, args.orders + 1):06d}" for _ in range(300)]
    by_number, by_customer = [], []
    for number in seeded:
        t0 = time.perf_counter()
        order = await get_order(board, number=number)
        by_number.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        await search_orders(board, lead_id=order.lead_id)
        by_customer.append((time.perf_counter() - t0) * 1000)
    show("order by number (board)", by_number)
    show("orders of a customer (board)", by_customer)
    staff_numbers = [o.number for o in await Order.filter(owner_id=actor.user_id).limit(300)]
    staff_times = []
    for number in staff_numbers:
        t0 = time.perf_counter()
        await get_order(actor, number=number)
        staff_times.append((time.perf_counter() - t0) * 1000)
    show("order by number (staff)", staff_times)
    print(
        f"{'p95 check':34} number {pct(by_number, 95):.2f} ms, customer {pct(by_customer, 95):.2f} ms"
    )
    await close_db()


if __name__ == "__main__":
    asyncio.run(main())
