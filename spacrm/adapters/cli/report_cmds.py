"""`spacrm kpi add|list` (#23) and `spacrm report export KIND --period P [--out FILE]` (#19, #21).

As in sales_cmds, the terminal is the machine's operator and reads as the board; `--user LOGIN`
acts as that staff member (their scope, their permissions).
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable, Coroutine
from datetime import date
from pathlib import Path
from typing import Any

from spacrm.core.actors import Actor, Role
from spacrm.core.models.kpi import TARGETS

OPERATOR = Actor(user_id=0, login="cli", name="CLI", role=Role.BOARD)


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    kpi = sub.add_parser("kpi", help="KPI settings: targets per employee or team")
    ksub = kpi.add_subparsers(dest="action", required=True)
    add = ksub.add_parser("add", help="a KPI setting for one employee or one team")
    add.add_argument("--name", required=True)
    add.add_argument("--start", required=True, type=date.fromisoformat, help="YYYY-MM-DD")
    add.add_argument("--end", required=True, type=date.fromisoformat, help="YYYY-MM-DD")
    who = add.add_mutually_exclusive_group(required=True)
    who.add_argument("--employee", help="login of the employee")
    who.add_argument("--team", help="team code, e.g. q1a")
    for key in TARGETS:
        add.add_argument(f"--{key.replace('_', '-')}", type=int, default=0,
                         help="VND" if key == "revenue" else "count")  # fmt: skip
    add.add_argument("--commission-pct", type=int, default=0, help="% of the revenue")
    add.add_argument("--description")
    add.add_argument("--inactive", action="store_true")
    add.add_argument("--user", help="act as this manager (default: the operator)")
    ls = ksub.add_parser("list", help="KPI settings in scope")
    ls.add_argument("--user", help="read as this staff member")

    report = sub.add_parser("report", help="reports as files")
    rsub = report.add_subparsers(dest="action", required=True)
    exp = rsub.add_parser("export", help="an Excel export (xlsx)")
    from spacrm.core.services.exports import EXPORTS

    exp.add_argument("kind", choices=EXPORTS)
    exp.add_argument("--period", help="2026-11, 2026-W48 or 2026-11-25 (default: this month)")
    exp.add_argument("--out", help="file to write (default: KIND-PERIOD.xlsx here)")
    exp.add_argument("--user", help="export as this staff member (their scope)")
    exp.add_argument("--employee", help="only this employee's rows (a name within the scope)")
    # profit and debt (#32), CRM usage (#33): the chat's answer printed, the xlsx with --out
    for name, about in (("profit", "revenue, cost, profit, paid and outstanding (and per customer)"),
                        ("debts", "customers with unpaid orders, largest debt first"),
                        ("usage", "CRM usage per user: chat turns, console actions, changes")):  # fmt: skip
        cmd = rsub.add_parser(name, help=about)
        cmd.add_argument("--period", help="2026-11, 2026-W48 or 2026-11-25 (default: this month)")
        cmd.add_argument("--out", help="also write the xlsx file here")
        cmd.add_argument("--user", help="read as this staff member (their scope)")
        if name == "profit":  # profit by opportunity (#32)
            cmd.add_argument("--by", choices=("customer", "opportunity"), default="customer",
                             help="the lines of the report: customers (default) or opportunities")  # fmt: skip
    # report roll-ups (#10): triggers re-created, rows recounted from the activities
    rsub.add_parser("rebuild-rollup", help="recount the report roll-ups from the activities")


async def _actor(login: str | None) -> Actor:
    if not login:
        return OPERATOR
    from spacrm.core.services.users import actor_by_login

    return await actor_by_login(login)


async def cmd_kpi(args: argparse.Namespace) -> int:
    from spacrm.adapters.cli.main import _with_db
    from spacrm.core.services import kpi

    async def run() -> int:
        actor = await _actor(args.user)
        if args.action == "add":
            targets = {k: getattr(args, k) for k in TARGETS if getattr(args, k)}
            s = await kpi.add_kpi(
                actor, name=args.name, start=args.start, end=args.end, targets=targets,
                employee=args.employee, team=args.team, description=args.description,
                commission_pct=args.commission_pct, active=not args.inactive,
            )  # fmt: skip
            print(f"KPI #{s.id} “{s.name}” {s.start_date:%d/%m/%Y}–{s.end_date:%d/%m/%Y} saved.")
            return 0
        for s in await kpi.list_kpis(actor):
            who = f"user #{s.user_id}" if s.user_id else f"team #{s.team_id}"
            goals = " ".join(f"{k}={getattr(s, k)}" for k in TARGETS if getattr(s, k))
            state = "active" if s.active else "inactive"
            print(f"#{s.id:<4} {s.start_date:%d/%m/%Y}–{s.end_date:%d/%m/%Y} {state:8} {who:10} "
                  f"{s.name} · {goals} · {s.commission_pct}%")  # fmt: skip
        return 0

    return await _with_db(run)


async def cmd_report(args: argparse.Namespace) -> int:
    from spacrm.adapters.cli.main import _with_db
    from spacrm.core import clock
    from spacrm.intents.chat import ChatEvent
    from spacrm.intents.context import Ctx
    from spacrm.intents.staff.export_report import build

    async def run() -> int:
        if args.action == "rebuild-rollup":
            from spacrm.core.services.rollup import rebuild

            days, touches = await rebuild()
            print(f"report roll-ups rebuilt: {days} activity-day rows, {touches} lead-month rows")
            return 0
        actor = await _actor(args.user)
        event = ChatEvent(channel="cli", external_user_id=actor.login, chat_id="cli")
        if args.action != "export":
            return await _printed(Ctx(actor, event, clock.now()), args)
        name, data, rows = await build(
            Ctx(actor, event, clock.now()), args.kind, args.period, employee=args.employee
        )
        if not rows:
            print(f"{args.kind}: nothing to export (0 rows), no file written")
            return 0
        out = Path(args.out or name)
        await asyncio.to_thread(out.write_bytes, data)
        print(f"{out}: {rows} rows")
        return 0

    return await _with_db(run)


async def _printed(ctx: Any, args: argparse.Namespace) -> int:
    """`report profit|debts|usage`: the chat's text; the xlsx when --out is given."""
    from spacrm.intents.staff import debt_report, profit_report, usage_report

    run = {"profit": profit_report.run, "debts": debt_report.run, "usage": usage_report.run}
    slots = {"period": args.period} if args.period else {}
    if getattr(args, "by", None) == "opportunity":
        slots["by"] = "opportunity"
    replies = await run[args.action](ctx, slots)
    print(replies[0].text)
    book = [f for f in replies[0].all_files() if f[0].endswith(".xlsx")]
    if args.out and book:
        out = Path(args.out)
        await asyncio.to_thread(out.write_bytes, book[0][1])
        print(f"{out}: written")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], Coroutine[Any, Any, int]]] = {
    "kpi": cmd_kpi,
    "report": cmd_report,
}
