"""Benchmark: bill image rendering (K80 / K57, to PNG bytes) and bank webhook → receipt committed.

Not a test: the figures go to the README (issue 8 targets: bill < 150 ms, webhook median < 20 ms).

    .venv/bin/python bench/bench_pay.py [--bills 200] [--webhooks 300] [--orders 2000]

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


async def bench_webhooks(runs: int, orders: int) -> None:
    try:
        from tests.pay.webhook_bench import run_webhook_bench
    except ImportError:
        print("webhook → receipt: skipped (needs core.services.bank_transfers from the sales area)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("SPACRM_BENCH_DB_URL") or f"sqlite://{Path(tmp) / 'bench.sqlite3'}"
        ms = await run_webhook_bench(url, Path(tmp), runs=runs, orders=orders)
        show("SePay webhook → receipt committed", ms)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bills", type=int, default=200)
    ap.add_argument("--webhooks", type=int, default=300)
    ap.add_argument("--orders", type=int, default=2000)
    args = ap.parse_args()
    bench_bills(args.bills)
    asyncio.run(bench_webhooks(args.webhooks, args.orders))


if __name__ == "__main__":
    main()
