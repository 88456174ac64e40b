"""`spacrm payroll run|show|lock|export --month YYYY-MM`, `spacrm salary set LOGIN …` and
`spacrm pay add LOGIN …` (bonus, penalty, advance). As in sales_cmds, the terminal acts as the
board unless `--user LOGIN` names a staff member (who then needs the payroll flag)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from spacrm.core.services.payroll import BASES, KINDS


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    pr = sub.add_parser("payroll", help="monthly payroll: run, show a payslip, lock, export")
    psub = pr.add_subparsers(dest="action", required=True)
    for name, text in (("run", "compute (or recompute) every payslip of the month"),
                       ("lock", "lock the month: no more recomputing"),
                       ("export", "the month's payroll as an xlsx file")):  # fmt: skip
        c = psub.add_parser(name, help=text)
        c.add_argument("--month", required=True, help="YYYY-MM")
        c.add_argument("--user", help="act as this staff member")
        if name == "export":
            c.add_argument("--out", required=True, help="file.xlsx")
    sh = psub.add_parser("show", help="one person's payslip, line by line")
    sh.add_argument("login")
    sh.add_argument("--month", required=True, help="YYYY-MM")
    sh.add_argument("--user", help="act as this staff member")
    sal = sub.add_parser("salary", help="salary profiles")
    ssub = sal.add_subparsers(dest="action", required=True)
    st = ssub.add_parser("set", help="set a person's salary profile")
    st.add_argument("login")
    st.add_argument("--basis", choices=BASES, default="month")
    st.add_argument("--base", type=int, required=True, help="VND: a month, a day or an hour")
    st.add_argument("--allowance", type=int, default=0, help="VND a month")
    st.add_argument("--standard-days", type=int, help="default: SPACRM_PAYROLL_STANDARD_DAYS")
    st.add_argument("--dependants", type=int, default=0)
    st.add_argument("--payroll-viewer", action="store_true", help="may see others' pay")
    pay = sub.add_parser("pay", help="bonuses, penalties and advances")
    asub = pay.add_subparsers(dest="action", required=True)
    ad = asub.add_parser("add", help="add a bonus, penalty or advance to a month")
    ad.add_argument("login")
    ad.add_argument("--month", required=True)
    ad.add_argument("--kind", choices=KINDS, required=True)
    ad.add_argument("--amount", type=int, required=True)
    ad.add_argument("--note", default="")
    wk = sub.add_parser("work", help="work done on an order (#30) and its commission")
    wsub = wk.add_subparsers(dest="action", required=True)
    wa = wsub.add_parser("add", help="record who did what on an order")
    wa.add_argument("order", help="order number, e.g. HD2026-000123")
    wa.add_argument("login")
    wa.add_argument("--details", required=True)
    wa.add_argument("--commission", type=int, default=0, help="VND")
    wa.add_argument("--date", help="YYYY-MM-DD (default today)")
    wa.add_argument("--user", help="act as this staff member")


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _progress(done: int, total: int) -> None:
    """A one-line progress bar on stderr (stdout stays the table)."""
    width = 30
    filled = width * done // max(total, 1)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


async def cmd_payroll(args: argparse.Namespace) -> int:
    from spacrm.adapters.cli.main import UserError, _with_db
    from spacrm.adapters.cli.sales_cmds import _actor
    from spacrm.core.services import payroll

    async def run() -> int:
        actor = await _actor(args.user)
        if args.action == "run":
            result = await payroll.run_payroll(actor, month=args.month, progress=_progress)
            print(f"Payroll {args.month}: {result.slips} payslips, net total "
                  f"{_money(result.net_total)} VND ({result.run.status}).")  # fmt: skip
            if result.without_profile:
                print(f"Without a salary profile: {len(result.without_profile)} "
                      f"({', '.join(result.without_profile[:10])}…)")  # fmt: skip
            return 0
        if args.action == "lock":
            await payroll.lock_payroll(actor, month=args.month)
            print(f"Payroll {args.month} locked.")
            return 0
        if args.action == "export":
            rows = await payroll.payroll_rows(actor, month=args.month)
            if not rows:
                raise UserError(f"no payroll run for {args.month}: run `spacrm payroll run` first")
            _write_xlsx(Path(args.out), args.month, rows)
            print(f"Wrote {len(rows)} payslips to {args.out}.")
            return 0
        user_id = await payroll.user_id_of(args.login)
        if user_id is None:
            raise UserError(f"unknown login: {args.login}")
        view = await payroll.payslip(actor, month=args.month, user_id=user_id)
        print(f"{view.user.full_name} ({args.login}) — {args.month} [{view.status}]")
        for line in view.slip.lines:
            print(f"  {line.key:14} {_money(line.amount):>14}  {line.detail}")
        print(f"  {'gross':14} {_money(view.slip.gross):>14}")
        print(f"  {'net':14} {_money(view.slip.net):>14}")
        return 0

    return await _with_db(run)


COLUMNS = ("base", "unpaid_leave", "allowance", "overtime", "commission", "order_commission",
           "bonus", "penalty", "insurance", "income_tax", "advance")  # fmt: skip


def _write_xlsx(path: Path, month: str, rows: list[tuple[str, str, Any]]) -> None:
    from openpyxl import Workbook  # type: ignore[import-untyped]

    wb = Workbook()
    ws = wb.active
    ws.title = f"Luong {month}"
    ws.append(["login", "name", *COLUMNS, "gross", "net"])
    for login, name, slip in rows:
        amounts = {k: 0 for k in COLUMNS}
        for key, amount, _ in slip.lines:
            amounts[key] = amounts.get(key, 0) + amount
        ws.append([login, name, *(amounts[k] for k in COLUMNS), slip.gross, slip.net])
    wb.save(path)


async def cmd_salary(args: argparse.Namespace) -> int:
    from spacrm.adapters.cli.main import _with_db
    from spacrm.adapters.cli.sales_cmds import _actor
    from spacrm.core.services import payroll

    async def run() -> int:
        profile = await payroll.set_salary(
            await _actor(None), login=args.login, basis=args.basis, base_amount=args.base,
            allowance=args.allowance, standard_days=args.standard_days,
            dependants=args.dependants, payroll_viewer=args.payroll_viewer,
        )  # fmt: skip
        print(f"{args.login}: {profile.basis} {_money(int(profile.base_amount))} VND, "
              f"allowance {_money(int(profile.allowance))}")  # fmt: skip
        return 0

    return await _with_db(run)


async def cmd_pay(args: argparse.Namespace) -> int:
    from spacrm.adapters.cli.main import _with_db
    from spacrm.adapters.cli.sales_cmds import _actor
    from spacrm.core.services import payroll

    async def run() -> int:
        await payroll.add_adjustment(await _actor(None), login=args.login, month=args.month,
                                     kind=args.kind, amount=args.amount, note=args.note)  # fmt: skip
        print(f"{args.login} {args.month}: {args.kind} {_money(args.amount)} VND")
        return 0

    return await _with_db(run)


async def cmd_work(args: argparse.Namespace) -> int:
    from datetime import date

    from spacrm.adapters.cli.main import UserError, _with_db
    from spacrm.adapters.cli.sales_cmds import _actor
    from spacrm.core.services import hr

    try:
        day = date.fromisoformat(args.date) if args.date else None
    except ValueError as exc:
        raise UserError(f"bad date: {args.date} (YYYY-MM-DD)") from exc

    async def run() -> int:
        task = await hr.record_order_task(
            await _actor(args.user), order_number=args.order, login=args.login,
            details=args.details, commission=args.commission, day=day,
        )  # fmt: skip
        print(f"{args.order}: {args.login} {task.day:%d/%m/%Y} {task.details} "
              f"(commission {_money(int(task.commission))} VND)")  # fmt: skip
        return 0

    return await _with_db(run)


COMMANDS: dict[str, Callable[[argparse.Namespace], Coroutine[Any, Any, int]]] = {
    "payroll": cmd_payroll,
    "salary": cmd_salary,
    "pay": cmd_pay,
    "work": cmd_work,
}
