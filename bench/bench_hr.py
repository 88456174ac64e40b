"""Benchmark: a monthly payroll run and leave-request chat turns (issue 12 targets: a payroll run for
500 staff with a month of sessions, orders and overtime under 10 s; a leave request chat turn
under 20 ms median).

Seeds the demo chain, then N staff (default 500) with salary profiles (a tenth paid by the day,
a tenth by the hour), 30 session commissions and 30 done appointments each in November 2026,
4 approved overtime entries, one approved leave and 3 adjustments each, into a fresh SQLite
database (or the URL in SPACRM_BENCH_DB_URL). Not a test: the figures go to the README.

    .venv/bin/python bench/bench_hr.py [--staff 500] [--turns 200]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from bench_engine import bench_database, open_demo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

MONTH = "2026-11"


async def seed_staff(n: int) -> list[int]:
    from spacrm.core import clock
    from spacrm.core.models import (
        Appointment,
        Commission,
        LeaveRequest,
        OrderTask,
        OvertimeEntry,
        PayAdjustment,
        SalaryProfile,
        SalesCommission,
        Team,
        User,
    )
    from spacrm.core.textnorm import fold

    rng = random.Random(12)
    teams = await Team.all()
    t0 = time.perf_counter()
    await User.bulk_create([
        User(login=f"hrb{i}", email=f"hrb{i}@bench.example", full_name=f"Nhân Viên {i}",
             name_key=fold(f"Nhân Viên {i}"), role="staff", region_id=1,
             branch_id=teams[i % len(teams)].branch_id, team_id=teams[i % len(teams)].id,
             is_technician=True)
        for i in range(n)
    ], batch_size=500)  # fmt: skip
    ids = list(await User.filter(login__startswith="hrb").values_list("id", flat=True))
    profiles, commissions, appts, ots, leaves, adjs = [], [], [], [], [], []
    sales: list[SalesCommission] = []  # the seller's share of paid orders (10 a person)
    tasks: list[OrderTask] = []  # work on orders (2 a person)
    for k, uid in enumerate(ids):
        basis = "day" if k % 10 == 1 else "hour" if k % 10 == 2 else "month"
        base = {"month": 8_000_000, "day": 300_000, "hour": 60_000}[basis]
        profiles.append(
            SalaryProfile(user_id=uid, basis=basis, base_amount=base, allowance=500_000)
        )
        for s in range(30):
            day = date(2026, 11, 1 + s % 30)
            start = clock.at_local(day) + timedelta(hours=s % 8)
            appt_id = 50_000_000 + k * 100 + s
            commissions.append(Commission(appointment_id=appt_id, technician_id=uid,
                                          site_branch_id=1, service_id=1, base_amount=500_000,
                                          commission_pct=10, amount=50_000, earned_on=day))  # fmt: skip
            appts.append(Appointment(
                owner_id=uid, site_branch_id=1, customer_name="Khách", service_id=1,
                service_name="Chăm sóc da", technician_id=uid, room_id=1, starts_at=start,
                ends_at=start + timedelta(minutes=60), busy_until=start + timedelta(minutes=70),
                start_s=int(start.timestamp()), busy_s=int(start.timestamp()) + 4200,
                status="done", created_by_id=uid,
            ))  # fmt: skip
        for d in range(4):
            ots.append(OvertimeEntry(user_id=uid, day=date(2026, 11, 2 + d * 7), minutes=120,
                                     day_kind="weekday", rate_pct=150, status="approved"))  # fmt: skip
        day = date(2026, 11, 3 + rng.randrange(20))
        leaves.append(LeaveRequest(user_id=uid, day_from=day, day_to=day, paid=rng.random() < 0.5,
                                   halves=2, status="approved"))  # fmt: skip
        for o in range(10):
            sales.append(SalesCommission(order_id=90_000_000 + k * 10 + o, user_id=uid,
                                         day=date(2026, 11, 1 + o * 3), amount=25_000,
                                         received=500_000,
                                         detail="HD2026-999999 (5%): 25.000 × 500.000/500.000 − 0"))  # fmt: skip
        for o in range(2):
            tasks.append(OrderTask(order_id=90_000_000 + k * 10 + o, user_id=uid,
                                   day=date(2026, 11, 5 + o), details="Tư vấn", commission=40_000,
                                   commission_bp=200, created_by_id=uid))  # fmt: skip
        for kind in ("bonus", "penalty", "advance"):
            adjs.append(PayAdjustment(user_id=uid, month=MONTH, kind=kind,
                                      amount=rng.randrange(1, 10) * 100_000, created_by_id=0))  # fmt: skip
    for model, rows in ((SalaryProfile, profiles), (Commission, commissions),
                        (Appointment, appts), (OvertimeEntry, ots), (LeaveRequest, leaves),
                        (PayAdjustment, adjs), (SalesCommission, sales), (OrderTask, tasks)):  # fmt: skip
        await model.bulk_create(rows, batch_size=1000)  # type: ignore[attr-defined]
    print(f"seeded {n} staff, {len(commissions):,} commissions, {len(appts):,} sessions, "
          f"{len(ots):,} overtime entries, {len(sales):,} sales commissions, {len(tasks):,} "
          f"order tasks in {time.perf_counter() - t0:.1f} s")  # fmt: skip
    return ids


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--staff", type=int, default=500)
    ap.add_argument("--turns", type=int, default=200)
    args = ap.parse_args()
    url = bench_database()
    from spacrm.bot.engine import Engine
    from spacrm.core import clock
    from spacrm.core.actors import Actor, Role
    from spacrm.core.db import close_db
    from spacrm.core.ports import ports
    from spacrm.core.services.payroll import run_payroll
    from spacrm.core.services.users import actor_by_login
    from spacrm.intents.chat import ChatEvent
    from spacrm.intents.texts import t

    await open_demo(url)
    ports.translate = t
    clock.freeze(datetime(2026, 12, 1, 9, 0))
    await seed_staff(args.staff)
    board = Actor(user_id=0, login="bench", name="Bench", role=Role.BOARD)
    cpu0, t0 = time.process_time(), time.perf_counter()
    result = await run_payroll(board, month=MONTH)
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    print(f"payroll run {MONTH}: {result.slips} payslips in {wall:.2f} s (CPU {cpu:.2f} s), "
          f"net total {result.net_total:,} VND")  # fmt: skip

    engine = Engine()
    times, cpu_times = [], []
    for i in range(args.turns):
        actor = await actor_by_login(f"hrb{i % args.staff}")
        day = date(2026, 12, 2) + timedelta(days=i // args.staff * 2)
        event = ChatEvent(channel="bench", external_user_id=actor.login, chat_id=f"b{i}",
                          text=f"xin nghỉ phép ngày {day:%d/%m} vì việc nhà", event_id=f"e{i}")  # fmt: skip
        s, c = time.perf_counter(), time.process_time()
        replies = await engine.handle(event, actor=actor)
        times.append((time.perf_counter() - s) * 1000)
        cpu_times.append((time.process_time() - c) * 1000)
        assert "Đã gửi đơn nghỉ" in replies[0].text, replies[0].text
    times.sort()
    print(f"leave request chat turn: median {statistics.median(times):.1f} ms, "
          f"p95 {times[int(len(times) * 0.95) - 1]:.1f} ms over {len(times)} turns "
          f"(CPU median {statistics.median(cpu_times):.1f} ms)")  # fmt: skip
    await close_db()


if __name__ == "__main__":
    asyncio.run(main())
