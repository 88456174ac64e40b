"""Benchmark: bill image rendering (K80 / K57, to PNG bytes) and bank webhook → receipt committed.

Not a test: the figures go to the README (issue 8 targets: bill < 150 ms, webhook median < 20 ms).

    .venv/bin/python bench/bench_pay.py [--bills 200] [--webhooks 300] [--orders 300] [--history 300000]

The webhook part posts signed SePay requests through the real FastAPI app (in-process ASGI, no
network) to a fresh SQLite database (or SPACRM_BENCH_DB_URL) and times each request until its 200,
which is sent after the receipt's transaction has committed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def show(label: str, ms: list[float]) -> None:
    print(
        f"{label:34} median {statistics.median(ms):7.2f} ms   p95 {pct(ms, 95):7.2f} ms   ({len(ms)} runs)"
    )


def bench_bills(runs: int) -> None:
    from spacrm.core.vietqr import vietqr_payload
    from spacrm.reports.bill import BillData, BillLine, bill_png

    lines = [
        BillLine(
            f"Dịch vụ chăm sóc da mặt chuyên sâu số {n}", n % 3 + 1, 350_000, (n % 3 + 1) * 350_000
        )
        for n in range(8)
    ]
    total = sum(x.amount for x in lines)
    bill = BillData(
        spa_name="Lotus Spa",
        branch_name="Chi nhánh Quận 1 — 12 Lê Lợi, Bến Nghé",
        number="HD2026-000123",
        day=date(2026, 11, 30),
        customer="Nguyễn Thị Ngọc Hương · 0912 345 678",
        lines=lines,
        discount=100_000,
        total=total - 100_000,
        paid=500_000,
        outstanding=total - 600_000,
        methods=["Tiền mặt"],
        vietqr=vietqr_payload(
            bank_bin="970422", account="0123456789", amount=total - 600_000, note="HD2026000123"
        ),
    )
    for paper in ("k80", "k57"):
        bill_png(bill, paper)  # font load and caches
        ms = []
        for _ in range(runs):
            t0 = time.perf_counter()
            bill_png(bill, paper)
            ms.append((time.perf_counter() - t0) * 1000)
        show(f"bill PNG {paper} (8 lines + QR)", ms)


async def _history(orders: int, actor: object) -> None:
    """Last year's orders, receipts (5 per 3 orders) and bank transfers, bulk-inserted, so the
    indexes the webhook path uses (order code, voucher number/idem key, transfer id) are full size."""
    from datetime import UTC, datetime

    from spacrm.core.models import BankTransfer, Order, Voucher

    if orders <= 0:
        return
    t0 = time.perf_counter()
    batch = 5000
    owner = {"owner_id": actor.id, "branch_id": actor.branch_id}  # type: ignore[attr-defined]
    day = date(2025, 6, 1)
    for start in range(0, orders, batch):
        await Order.bulk_create([
            Order(number=f"HD2025-{n:06d}", code=f"HD2025{n:06d}", order_date=day, customer_name="Khách cũ",
                  status="paid", subtotal=500_000, total=500_000, paid=500_000, created_by_id=actor.id,  # type: ignore[attr-defined]
                  site_branch_id=owner["branch_id"], **owner)
            for n in range(start + 1, min(orders, start + batch) + 1)
        ])  # fmt: skip
    vouchers = orders * 5 // 3
    for start in range(0, vouchers, batch):
        await Voucher.bulk_create([
            Voucher(number=f"PT2025-{n:06d}", kind="receipt", name="Thu tiền", voucher_date=day, amount=300_000,
                    method="transfer", created_by_id=actor.id, idem_key=f"hist:{n}", **owner)  # type: ignore[attr-defined]
            for n in range(start + 1, min(vouchers, start + batch) + 1)
        ])  # fmt: skip
    received = datetime(2025, 6, 1, tzinfo=UTC)
    for start in range(0, orders, batch):
        await BankTransfer.bulk_create([
            BankTransfer(provider="sepay", provider_id=f"h{n}", amount=500_000, note=f"HD2025{n:06d}",
                         received_at=received, status="matched")
            for n in range(start + 1, min(orders, start + batch) + 1)
        ])  # fmt: skip
    print(
        f"(history: {orders} orders, {vouchers} receipts, {orders} bank transfers in {time.perf_counter() - t0:.0f} s)"
    )


async def bench_webhooks(runs: int, orders: int, history: int) -> None:
    """Each run: one signed SePay POST for a whole order → receipt committed → 200."""
    import httpx
    from fastapi import FastAPI
    from pydantic import SecretStr

    from spacrm.adapters.bank import router as bank_router
    from spacrm.core.db import close_db, init_db
    from spacrm.core.models import Order, Package, User
    from spacrm.core.ports import ports
    from spacrm.core.seed.demo import load_demo
    from spacrm.core.services.leads import create_lead
    from spacrm.core.services.orders import OrderItemSpec, create_order
    from spacrm.core.services.users import actor_for
    from spacrm.core.settings import Settings, reset_settings
    from spacrm.intents.texts import t
    from tests.fakes import bank

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SPACRM_DATA_DIR"] = tmp
        url = os.environ.get("SPACRM_BENCH_DB_URL") or f"sqlite://{Path(tmp) / 'bench.sqlite3'}"
        reset_settings()
        await init_db(url)
        ports.translate = t
        try:
            await load_demo()
            user = await User.get(login="lt_q1")
            actor = await actor_for(user)
            pkg = await Package.get(code="GOI02")
            leads = [
                await create_lead(actor, name=f"Khách Bench {n}", phone=f"09123{n:05d}")
                for n in range(50)
            ]
            await _history(history, user)
            made = []
            for n in range(max(orders, runs)):
                order = await create_order(
                    actor,
                    lead_id=leads[n % len(leads)].id,
                    items=[OrderItemSpec(package_id=pkg.id)],
                )
                made.append(order)
            print(f"({len(made)} orders in {await Order.all().count()} total, {url.split(':')[0]})")
            secret = "bench-secret"
            app = FastAPI()
            bank_router.register(
                app, Settings(sepay_hmac_secret=SecretStr(secret)), bank_router.ledger()
            )
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                ms = []
                for n, order in enumerate(made[:runs]):
                    body = bank.sepay_body(
                        500_000 + n, order.total, f"MBVCB.{n}.{order.code}.CT NGUYEN VAN A"
                    )
                    t0 = time.perf_counter()
                    r = await bank.post_sepay(client, secret, body)
                    ms.append((time.perf_counter() - t0) * 1000)
                    assert r.status_code == 200, r.text
                paid = await Order.filter(status="paid", id__in=[o.id for o in made[:runs]]).count()
                show("SePay webhook → receipt committed", ms)
                print(f"({paid} of the {runs} orders paid by their webhook)")
        finally:
            await close_db()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bills", type=int, default=200)
    ap.add_argument("--webhooks", type=int, default=300)
    ap.add_argument("--orders", type=int, default=300, help="open orders the webhooks pay")
    ap.add_argument("--history", type=int, default=300_000, help="bulk-inserted past orders")
    args = ap.parse_args()
    bench_bills(args.bills)
    asyncio.run(bench_webhooks(args.webhooks, args.orders, args.history))


if __name__ == "__main__":
    main()
