"""The seller's sales commission (#12 with #9/#31).

Rule: each order line carries the catalogue's seller % at the time of sale (`sales_commission_pct`,
a package line takes its item's %). The order's commission is Σ line amount × % (after the order
discount, rounded once to the đồng, half up). It is earned as money comes in: after every change of
the order's paid amount the seller (the order's owner) has earned
    floor(order commission × paid ÷ total)
and a row with the difference is written, dated the day of the receipt. A part payment earns its
part, the last payment the rest, so the rows of a fully paid order add up to its commission. A
cancelled order (or a refund lowering the paid amount) writes the negative difference, so nothing
earned on money not kept stays in payroll. Payroll adds a month's rows by their day.
"""

from __future__ import annotations

import math
from datetime import date
from fractions import Fraction

from spacrm.core.models import Order, OrderLine, SalesCommission


def _n(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")  # figures as on the payslip, without the ₫


def order_commission(lines: list[OrderLine]) -> int:
    exact = sum((Fraction(ln.amount * ln.sales_commission_pct, 100) for ln in lines), Fraction(0))
    return math.floor(exact + Fraction(1, 2))


async def sync(order: Order, *, day: date, received: int = 0) -> SalesCommission | None:
    """Bring the seller's accrued commission in line with the order's paid amount. Call inside the
    transaction that changed `order.paid` (or cancelled it), with the order locked."""
    lines = await OrderLine.filter(order_id=order.id, sales_commission_pct__gt=0)
    before = sum(int(r.amount) for r in await SalesCommission.filter(order_id=order.id))
    if not lines and not before:
        return None
    pool = order_commission(lines)
    paid = 0 if order.status == "cancelled" else max(0, min(order.paid, order.total))
    earned = pool * paid // order.total if order.total > 0 else 0
    amount = earned - before
    if amount == 0:
        return None
    pcts = "+".join(sorted({f"{ln.sales_commission_pct}%" for ln in lines}))
    detail = f"{order.number} ({pcts}): {_n(pool)} × {_n(paid)}/{_n(order.total)} − {_n(before)}"
    return await SalesCommission.create(
        order_id=order.id, user_id=order.owner_id, day=day, amount=amount, received=received,
        detail=detail[:200],
    )  # fmt: skip
