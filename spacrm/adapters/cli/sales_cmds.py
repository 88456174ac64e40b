"""`spacrm catalog import FILE|list`, `spacrm orders show NUMBER [--json]|list`, `spacrm vouchers
list|add`, `spacrm payments review|assign|ignore` (bank transfers that matched no order): the
sales data from the terminal.

The terminal is the operator of the machine: it reads as the board does (`--user LOGIN` reads
and writes as that staff member instead).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Coroutine
from dataclasses import asdict
from datetime import date
from typing import Any

from spacrm.core.actors import Actor, Role

OPERATOR = Actor(user_id=0, login="cli", name="CLI", role=Role.BOARD)


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cat = sub.add_parser("catalog", help="services, goods, consumables and packages")
    csub = cat.add_subparsers(dest="action", required=True)
    imp = csub.add_parser("import", help="create or update the catalogue from a csv/xlsx file",
                          description=_layout())  # fmt: skip
    imp.add_argument("file")
    ls = csub.add_parser("list", help="list the catalogue")
    ls.add_argument("--kind", choices=["service", "goods", "consumable", "package"])
    ls.add_argument("--search", help="code or name (diacritics optional)")
    ls.add_argument("--category")
    ls.add_argument("--min-price", type=int)
    ls.add_argument("--max-price", type=int)

    orders = sub.add_parser("orders", help="orders")
    osub = orders.add_subparsers(dest="action", required=True)
    show = osub.add_parser("show", help="one order with lines, payments and its VietQR payload")
    show.add_argument("number")
    show.add_argument("--json", action="store_true")
    show.add_argument("--user", help="read as this staff member")
    ol = osub.add_parser("list", help="orders by status and date range, newest first")
    ol.add_argument("--status", choices=["unpaid", "draft", "confirmed", "partly_paid", "paid",
                                         "cancelled"])  # fmt: skip
    ol.add_argument("--from", dest="date_from", type=date.fromisoformat, help="YYYY-MM-DD")
    ol.add_argument("--to", dest="date_to", type=date.fromisoformat, help="YYYY-MM-DD")
    ol.add_argument("--limit", type=int, default=50)
    ol.add_argument("--json", action="store_true")
    ol.add_argument("--user", help="read as this staff member")

    vouchers = sub.add_parser("vouchers", help="receipts (thu) and payment vouchers (chi)")
    vsub = vouchers.add_subparsers(dest="action", required=True)
    vl = vsub.add_parser("list", help="latest vouchers")
    vl.add_argument("--kind", choices=["receipt", "payment", "other"])
    vl.add_argument("--limit", type=int, default=20)
    vl.add_argument("--user", help="read as this staff member")
    va = vsub.add_parser("add", help="a payment voucher (chi) for an expense")
    va.add_argument("--user", required=True, help="login of who pays (their branch)")
    va.add_argument("--name", required=True, help="what it is for")
    va.add_argument("--amount", required=True, help="VND, e.g. 350000 or 350k")
    va.add_argument("--method", default="cash", choices=["cash", "transfer", "card", "other"])
    va.add_argument("--kind", default="payment", choices=["payment", "other"])
    va.add_argument("--category", help="utilities, rent, salary, marketing, repair, supplies, "
                    "other (default: read from the name)")  # fmt: skip

    payments = sub.add_parser("payments", help="bank transfers that matched no order")
    psub = payments.add_subparsers(dest="action", required=True)
    pr = psub.add_parser("review", help="the transfers waiting to be assigned or ignored")
    pr.add_argument("--user", help="read as this staff member (their branch)")
    pr.add_argument("--status", default="open", choices=["open", "assigned", "ignored"])
    pr.add_argument("--limit", type=int, default=50)
    pr.add_argument("--json", action="store_true")
    pa = psub.add_parser("assign", help="write the transfer as a receipt of an order")
    pa.add_argument("review", type=int, help="the review number (#N in `payments review`)")
    pa.add_argument("order", help="order number, e.g. HD2026-000123")
    pa.add_argument("--user", help="act as this staff member")
    pi = psub.add_parser("ignore", help="mark the transfer as not a payment to record")
    pi.add_argument("review", type=int)
    pi.add_argument("--user", help="act as this staff member")


def _vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _layout() -> str:
    from spacrm.adapters.cli import catalog_file

    return (catalog_file.__doc__ or "").split("\n\n", 1)[-1]


async def _actor(login: str | None) -> Actor:
    if not login:
        return OPERATOR
    from spacrm.core.services.users import actor_by_login

    return await actor_by_login(login)


async def cmd_catalog(args: argparse.Namespace) -> int:
    from spacrm.adapters.cli.catalog_file import CatalogFileError, load_catalog_file
    from spacrm.adapters.cli.main import UserError, _with_db
    from spacrm.core.services import catalog

    rows = []
    if args.action == "import":
        try:
            rows = load_catalog_file(args.file)
        except FileNotFoundError as exc:
            raise UserError(f"file not found: {args.file}") from exc
        except CatalogFileError as exc:
            raise UserError(f"{args.file}: {exc}") from exc
        except Exception as exc:  # a corrupt xlsx: one line, not a traceback
            raise UserError(f"{args.file}: cannot read ({type(exc).__name__})") from exc

    async def run() -> int:
        if args.action == "import":
            result = await catalog.import_catalog(rows)
            print(f"Imported {len(rows)} rows ({result.created} new, {result.updated} updated).")
            return 0
        if args.kind != "package":
            for i in await catalog.search_catalog(
                text=args.search, kind=args.kind, category=args.category,
                price_min=args.min_price, price_max=args.max_price, limit=10_000,
            ):  # fmt: skip
                print(f"{i.code:8} {i.kind:10} {_vnd(i.price):>12} {i.category or '':16} {i.name}")
        if args.kind in (None, "package"):
            for p, parts in await catalog.list_packages(text=args.search):
                print(f"{p.code:8} {'package':10} {_vnd(p.price):>12} {p.validity_months:>2} tháng"
                      f"       {p.name} ({len(parts)} mục)")  # fmt: skip
        return 0

    return await _with_db(run)


async def cmd_orders(args: argparse.Namespace) -> int:
    from spacrm.adapters.cli.main import _with_db, print_json
    from spacrm.core.services.orders import get_order, order_view
    from spacrm.core.vietqr import order_vietqr

    async def run() -> int:
        actor = await _actor(args.user)
        if args.action == "list":
            return await _list_orders(actor, args)
        view = await order_view(actor, (await get_order(actor, number=args.number)).id)
        qr = order_vietqr(view.number, view.outstanding)
        if args.json:
            data = asdict(view)
            data["date"] = view.date.isoformat()
            for p in data["payments"]:
                p["date"] = p["date"].isoformat()
            data["vietqr"] = qr
            print_json(data)
            return 0
        print(f"{view.number}  {view.date:%d/%m/%Y}  {view.branch_name}  [{view.status}]")
        print(f"Khách: {view.customer_name} {view.customer_phone or ''}")
        for ln in view.lines:
            count = f"{ln.sessions} buổi" if ln.sessions else f"x{ln.quantity}"
            print(f"  {ln.name:44} {count:>8} {_vnd(ln.amount):>12}")
        if view.discount:
            print(f"  {'Giảm giá':44} {'':>8} {'-' + _vnd(view.discount):>12}")
        print(f"  {'Tổng':44} {'':>8} {_vnd(view.total):>12}")
        print(f"  {'Đã thu':44} {'':>8} {_vnd(view.paid):>12}")
        print(f"  {'Còn phải thu':44} {'':>8} {_vnd(view.outstanding):>12}")
        for p in view.payments:
            print(f"  {p.number} {p.date:%d/%m/%Y} {p.method:9} {_vnd(p.amount):>12}")
        if qr:
            print(f"VietQR: {qr}")
        return 0

    return await _with_db(run)


async def _list_orders(actor: Actor, args: argparse.Namespace) -> int:
    from spacrm.adapters.cli.main import UserError, print_json
    from spacrm.core.services.orders import search_orders

    if args.limit < 1:
        raise UserError("--limit must be 1 or more")
    unpaid = ("draft", "confirmed", "partly_paid")
    statuses = unpaid if args.status == "unpaid" else (args.status,) if args.status else None
    orders = await search_orders(actor, statuses=statuses, date_from=args.date_from,
                                 date_to=args.date_to, limit=args.limit)  # fmt: skip
    if args.json:
        print_json([
            {"number": o.number, "date": o.order_date.isoformat(), "customer": o.customer_name,
             "status": o.status, "total": o.total, "paid": o.paid, "outstanding": o.total - o.paid}
            for o in orders
        ])  # fmt: skip
        return 0
    for o in orders:
        print(f"{o.number:16} {o.order_date:%d/%m/%Y} {o.status:12} {_vnd(o.total):>12} "
              f"{_vnd(o.total - o.paid):>12}  {o.customer_name}")  # fmt: skip
    return 0


async def cmd_vouchers(args: argparse.Namespace) -> int:
    from spacrm.adapters.cli.main import UserError, _with_db
    from spacrm.bot.nlu import parse_money
    from spacrm.core.services import vouchers
    from spacrm.core.services.expenses import CATEGORY_KEYS, guess_category

    if getattr(args, "category", None) and args.category not in CATEGORY_KEYS:
        raise UserError(f"category “{args.category}” is not one of {', '.join(CATEGORY_KEYS)}")

    async def run() -> int:
        actor = await _actor(args.user)
        if args.action == "add":
            amount = parse_money(args.amount) or (int(args.amount) if args.amount.isdigit() else 0)
            if amount <= 0:
                raise UserError(f"amount “{args.amount}” is not valid")
            category = args.category or (guess_category(args.name) if args.kind == "payment"
                                         else None)  # fmt: skip
            v = await vouchers.create_voucher(actor, kind=args.kind, name=args.name,
                                              amount=amount, method=args.method,
                                              category=category)  # fmt: skip
            print(f"{v.number}  {_vnd(v.amount)} ₫  {v.name}")
            return 0
        for v in await vouchers.list_vouchers(actor, kind=args.kind, limit=args.limit):
            print(f"{v.number:16} {v.voucher_date:%d/%m/%Y} {v.kind:8} {v.method:9} "
                  f"{_vnd(v.amount):>12}  {v.status:9} {v.name}")  # fmt: skip
        return 0

    return await _with_db(run)


async def cmd_payments(args: argparse.Namespace) -> int:
    from spacrm.adapters.cli.main import UserError, _with_db, print_json
    from spacrm.core import clock
    from spacrm.core.services import bank_transfers

    async def run() -> int:
        actor = await _actor(args.user)
        if args.action in ("assign", "ignore"):
            review = await bank_transfers.resolve_review(
                actor, review_id=args.review, ignore=args.action == "ignore",
                order_number=getattr(args, "order", None),
            )  # fmt: skip
            print(f"#{review.id} {review.status}")
            return 0
        if args.limit < 1:
            raise UserError("--limit must be 1 or more")
        rows = await bank_transfers.list_review_rows(actor, status=args.status, limit=args.limit)
        if args.json:
            print_json([
                {"id": r.review.id, "reason": r.review.reason, "status": r.review.status,
                 "amount": r.transfer.amount, "note": r.transfer.note,
                 "account": r.transfer.account, "provider": r.transfer.provider,
                 "provider_id": r.transfer.provider_id,
                 "received_at": r.transfer.received_at.isoformat(),
                 "order": r.order_number, "branch_id": r.review.branch_id}
                for r in rows
            ])  # fmt: skip
            return 0
        if not rows:
            print("Không có giao dịch nào.")
        for r in rows:
            when = clock.local(r.transfer.received_at)
            print(f"#{r.review.id:<5} {when:%d/%m %H:%M} {_vnd(r.transfer.amount):>12} "
                  f"{r.review.reason:14} {r.order_number or '':16} {r.transfer.note[:60]}")  # fmt: skip
        return 0

    return await _with_db(run)


COMMANDS: dict[str, Callable[[argparse.Namespace], Coroutine[Any, Any, int]]] = {
    "catalog": cmd_catalog,
    "orders": cmd_orders,
    "vouchers": cmd_vouchers,
    "payments": cmd_payments,
}
