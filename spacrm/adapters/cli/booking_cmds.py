"""`spacrm stock in|issue|transfer|adjust|show` and `spacrm appointments list`: stock and the day's
appointments from the terminal. As in sales_cmds, the terminal reads and writes as the board
unless `--user LOGIN` names a staff member."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Coroutine
from datetime import date
from typing import Any


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    st = sub.add_parser("stock", help="warehouse stock: in, issue, transfer, count, on-hand")
    ssub = st.add_subparsers(dest="action", required=True)
    for name, text in (("in", "receive stock"), ("issue", "issue stock with a reason"),
                       ("adjust", "set the counted quantity (stock count)")):  # fmt: skip
        c = ssub.add_parser(name, help=text)
        c.add_argument("product", help="catalogue code or name")
        c.add_argument("quantity", type=float, help="in the product's unit (adjust: counted)")
        c.add_argument("--branch", required=True, help="branch code (e.g. q1)")
        c.add_argument("--user", help="act as this staff member")
        if name == "in":
            c.add_argument("--cost", type=int, help="unit cost in VND")
        if name == "issue":
            c.add_argument("--reason", required=True)
    tr = ssub.add_parser("transfer", help="move stock between branches")
    tr.add_argument("product")
    tr.add_argument("quantity", type=float)
    tr.add_argument("--from", dest="source", required=True, help="branch code")
    tr.add_argument("--to", dest="target", required=True, help="branch code")
    tr.add_argument("--user")
    th = ssub.add_parser("threshold", help="warn the branch's managers under this on-hand")
    th.add_argument("product")
    th.add_argument("quantity", type=float, help="0 removes the warning")
    sh = ssub.add_parser("show", help="on-hand of a product per branch")
    sh.add_argument("product")
    sh.add_argument("--branch")
    sh.add_argument("--json", action="store_true")
    ap = sub.add_parser("appointments", help="appointments")
    asub = ap.add_subparsers(dest="action", required=True)
    al = asub.add_parser("list", help="a day's appointments")
    al.add_argument("--date", help="YYYY-MM-DD (default today)")
    al.add_argument("--user", help="read as this staff member")
    al.add_argument("--json", action="store_true")


async def _branch(code: str) -> int:
    from spacrm.adapters.cli.main import UserError
    from spacrm.core.models import Branch

    branch = await Branch.get_or_none(code=code.strip().lower())
    if branch is None:
        raise UserError(f"unknown branch: {code}")
    return branch.id


async def _product(text: str) -> int:
    from spacrm.adapters.cli.main import UserError
    from spacrm.core.models import CatalogItem
    from spacrm.core.services.availability import find_items
    from spacrm.core.services.stock import PRODUCT_KINDS

    item = await CatalogItem.get_or_none(code=text.strip().upper(), kind__in=PRODUCT_KINDS)
    if item is not None:
        return item.id
    found = await find_items(text, PRODUCT_KINDS)
    if len(found) != 1:
        names = ", ".join(f"{i.code} {i.name}" for i in found) or "none"
        raise UserError(f"product {text!r}: {len(found)} match ({names})")
    return found[0].id


def _qty(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _stock_line(d: dict[str, Any]) -> str:
    return f"{d['branch']:20} {_qty(d['quantity']):>10} {d['unit']:8} {d['product']}"


def _appointment_line(d: dict[str, Any]) -> str:
    return (f"{d['start'][11:16]}–{d['end'][11:16]} {d['status']:10} {d['customer']:24} "
            f"{d['service']:28} KTV {d['technician']:10} {d['room']}")  # fmt: skip


async def cmd_stock(args: argparse.Namespace) -> int:
    from spacrm.adapters.cli.main import _with_db, print_rows
    from spacrm.adapters.cli.sales_cmds import _actor
    from spacrm.core.services import stock

    async def run() -> int:
        product = await _product(args.product)
        if args.action == "show":
            branch = await _branch(args.branch) if args.branch else None
            rows = await stock.stock_query(await _actor(None), product_id=product, branch_id=branch)
            data = [{"branch": r.branch_name, "product": r.product_name, "unit": r.unit,
                     "quantity": r.quantity} for r in rows]  # fmt: skip
            print_rows(data, _stock_line, as_json=args.json)
            return 0
        if args.action == "threshold":
            await stock.set_threshold(await _actor(None), product_id=product, minimum=args.quantity)
            print(f"Threshold set to {_qty(args.quantity)}.")
            return 0
        actor = await _actor(args.user)
        if args.action == "transfer":
            await stock.transfer_stock(
                actor, product_id=product, quantity=args.quantity,
                from_branch_id=await _branch(args.source), to_branch_id=await _branch(args.target),
            )  # fmt: skip
            print(f"Transferred {_qty(args.quantity)} from {args.source} to {args.target}.")
            return 0
        branch = await _branch(args.branch)
        if args.action == "in":
            row = await stock.stock_in(actor, product_id=product, quantity=args.quantity,
                                       branch_id=branch, unit_cost=args.cost)  # fmt: skip
        elif args.action == "issue":
            row = await stock.issue_stock(actor, product_id=product, quantity=args.quantity,
                                          branch_id=branch, reason=args.reason)  # fmt: skip
        else:
            row = await stock.adjust_stock(actor, product_id=product, branch_id=branch,
                                           counted=args.quantity)  # fmt: skip
        print(f"{row.product_name} @ {row.branch_name}: {_qty(row.quantity)} {row.unit}")
        return 0

    return await _with_db(run)


async def cmd_appointments(args: argparse.Namespace) -> int:
    from spacrm.adapters.cli.main import UserError, _with_db, print_rows
    from spacrm.adapters.cli.sales_cmds import _actor
    from spacrm.core import clock
    from spacrm.core.services import bookings

    try:
        day = date.fromisoformat(args.date) if args.date else None
    except ValueError as exc:
        raise UserError(f"bad date: {args.date} (YYYY-MM-DD)") from exc

    async def run() -> int:
        actor = await _actor(args.user)
        rows = await bookings.list_appointments(actor, day=day or clock.today())
        names = await bookings.display_names(
            [a.technician_id for a in rows], [a.room_id for a in rows]
        )
        data: list[dict[str, Any]] = [
            {"id": a.id, "start": clock.local(a.starts_at).isoformat(timespec="minutes"),
             "end": clock.local(a.ends_at).isoformat(timespec="minutes"), "status": a.status,
             "customer": a.customer_name, "service": a.service_name,
             "technician": names.get(a.technician_id, ""), "room": names.get(-a.room_id, "")}
            for a in rows
        ]  # fmt: skip
        print_rows(data, _appointment_line, as_json=args.json)
        return 0

    return await _with_db(run)


COMMANDS: dict[str, Callable[[argparse.Namespace], Coroutine[Any, Any, int]]] = {
    "stock": cmd_stock,
    "appointments": cmd_appointments,
}
