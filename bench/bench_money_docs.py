"""Benchmark: the front desk's money turns added with issue 8's last slice — a payment voucher
(card, then the press that writes it), the vouchers of a day and a month, the bank transfers to
review, the orders still owing — on a loaded chain.

Seeds the demo chain, N leads, orders and receipts (as bench_sales.py), then payment vouchers
and open bank reviews, into a fresh SQLite database (or SPACRM_BENCH_DB_URL), and prints median /
p95 latencies. Not a test: the figures go to the README.

    .venv/bin/python bench/bench_money_docs.py [--leads 20000] [--orders 100000]
        [--vouchers 200000] [--expenses 50000] [--reviews 2000] [--turns 100]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_engine import bench_database, open_demo, seed, show
from bench_sales import seed_sales


async def seed_money(n_expenses: int, n_reviews: int) -> None:
    from spacrm.core.models import BankReview, BankTransfer, Branch, User, Voucher
    from spacrm.core.services.expenses import CATEGORY_KEYS

    rng = random.Random(5)
    desks = [u for u in await User.filter(is_front_desk=True)]
    branches = [b.id for b in await Branch.all()]
    now = datetime.now(UTC)
    t0 = time.perf_counter()
    rows = []
    for n in range(n_expenses):
        u = desks[rng.randrange(len(desks))]
        rows.append(Voucher(
            number=f"PC2025-{n + 1:06d}", kind="payment", name="Mua khăn", amount=350_000,
            voucher_date=(now - timedelta(days=rng.randrange(0, 700))).date(), status="done",
            method="cash", site_branch_id=u.branch_id, created_by_id=u.id, owner_id=u.id,
            team_id=u.team_id, branch_id=u.branch_id, region_id=u.region_id,
            category=rng.choice(CATEGORY_KEYS),
        ))  # fmt: skip
    for start in range(0, len(rows), 5_000):
        await Voucher.bulk_create(rows[start : start + 5_000])
    transfers = [
        BankTransfer(provider="bench", provider_id=str(n), amount=500_000, note="chuyen tien",
                     account="0123456789", received_at=now, payload={}, status="review")
        for n in range(n_reviews)
    ]  # fmt: skip
    await BankTransfer.bulk_create(transfers, batch_size=2_000)
    ids = await BankTransfer.filter(provider="bench").values_list("id", flat=True)
    await BankReview.bulk_create(
        [BankReview(transfer_id=tid, reason="no_code", branch_id=rng.choice(branches),
                    status=rng.choice(["open", "ignored", "assigned"])) for tid in ids],
        batch_size=2_000,
    )  # fmt: skip
    print(f"seeded {n_expenses:,} payment vouchers and {n_reviews:,} bank reviews in "
          f"{time.perf_counter() - t0:.1f} s")  # fmt: skip


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--leads", type=int, default=20_000)
    ap.add_argument("--orders", type=int, default=100_000)
    ap.add_argument("--vouchers", type=int, default=200_000)
    ap.add_argument("--expenses", type=int, default=50_000)
    ap.add_argument("--reviews", type=int, default=2_000)
    ap.add_argument("--turns", type=int, default=100)
    args = ap.parse_args()
    url = bench_database()
    from spacrm.bot.engine import Engine
    from spacrm.core.db import close_db
    from spacrm.core.services.users import actor_by_login
    from spacrm.intents.chat import ChatEvent, Reply

    await open_demo(url)
    await seed(args.leads, 0)
    await seed_sales(args.leads, args.orders, args.vouchers)
    await seed_money(args.expenses, args.reviews)
    desk = await actor_by_login("lt_q1")
    engine = Engine()
    n = iter(range(10**9))

    async def turn(
        chat: str, text: str | None = None, payload: str | None = None
    ) -> tuple[float, list[Reply]]:
        event = ChatEvent(channel="bench", external_user_id="b", chat_id=chat, text=text,
                          payload=payload, event_id=f"e{next(n)}")  # fmt: skip
        t0 = time.perf_counter()
        replies = await engine.handle(event, actor=desk)
        return (time.perf_counter() - t0) * 1000, replies

    card, write = [], []
    for i in range(args.turns):
        ms, replies = await turn(f"ex{i}", text=f"chi {100 + i}k mua khăn")
        card.append(ms)
        press = next(b.payload for r in replies for row in r.buttons for b in row
                     if b.payload.startswith("ey:"))  # fmt: skip
        ms, replies = await turn(f"ex{i}", payload=press)
        write.append(ms)
        assert "Đã lập phiếu chi" in replies[0].text, replies[0].text
    show("chat turn: 'chi 500k mua khăn' card", card)
    show("press: Lập phiếu chi (writes PC)", write)
    for label, text in (
        ("chat turn: xem phiếu chi hôm nay", "xem phiếu chi hôm nay"),
        ("chat turn: phiếu chi tháng này", "phiếu chi tháng này"),
        ("chat turn: giao dịch chưa khớp", "giao dịch chưa khớp"),
        ("chat turn: xem đơn chưa thanh toán", "xem đơn chưa thanh toán"),
        ("chat turn: show_customer (baseline)", "xem khách 0912"),
    ):
        runs = []
        for i in range(args.turns):
            ms, replies = await turn(f"l{i}", text=text)
            runs.append(ms)
        assert replies and replies[0].text, label
        show(label, runs)
    await close_db()


if __name__ == "__main__":
    asyncio.run(main())
