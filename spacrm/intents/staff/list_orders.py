"""list_orders: "xem đơn chưa thanh toán", "các đơn hàng tuần này", "danh sách đơn đã hủy tháng
này": orders across customers by status and period, as far as the asker sees (the front desk: their
branch). A customer or an order number named is show_order's business ("các đơn hàng của chị Lan").
"""

from __future__ import annotations

from typing import Any

from spacrm.core.services.orders import search_orders
from spacrm.core.services.reports import parse_period
from spacrm.intents import format as fmt
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff import show_order

SHOWN = 15
BUTTONS = 5
STATUSES = {
    "unpaid": ("draft", "confirmed", "partly_paid"),
    "paid": ("paid",),
    "cancelled": ("cancelled",),
}


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    if any(slots.get(k) for k in ("order", "customer", "phone")):
        return await show_order.run(ctx, {k: v for k, v in slots.items()
                                          if k in ("order", "customer", "phone")})  # fmt: skip
    ctx.done()
    status = str(slots.get("status") or "")
    period = parse_period(str(slots["period"])) if slots.get("period") else None
    orders = await search_orders(
        ctx.actor, statuses=STATUSES.get(status), limit=SHOWN + 1,
        date_from=period.first if period else None, date_to=period.last if period else None,
    )  # fmt: skip
    what = ctx.t(f"orders.filter.{status or 'all'}")
    if period is not None:
        what += " · " + fmt.days(period.first, period.last, ctx.lang)
    if not orders:
        return [Reply(ctx.t("orders.none", what=what))]
    more = len(orders) > SHOWN
    orders = orders[:SHOWN]
    lines = [ctx.t("orders.title", what=what, n=len(orders)) + (" …" if more else "")]
    for o in orders:
        left = o.total - o.paid
        owed = (
            f" · {ctx.t('orders.owed', amount=fmt.money(left))}"
            if left and status != "cancelled"
            else ""
        )
        lines.append(f"• {o.number} · {fmt.day(o.order_date, ctx.lang, weekday=False)} · "
                     f"{o.customer_name} · {fmt.money(o.total)}{owed} · "
                     f"{ctx.t(f'order.status.{o.status}')}")  # fmt: skip
    buttons = [[Button(f"{o.number} — {o.customer_name[:24]}", f"oc:{o.id}")]
               for o in orders[:BUTTONS]]  # fmt: skip
    return [Reply("\n".join(lines), buttons)]
