"""record_payment: "chị Lan ck 1tr5", "thu tiền mặt 500k đơn HD2026-000123".

The order is the one named, else the customer's only order with money left to pay (several:
buttons). Without an amount the bot asks, offering the whole outstanding by method.
"""

from __future__ import annotations

from typing import Any

from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.services.orders import get_order, search_orders
from spacrm.core.services.vouchers import record_payment
from spacrm.intents import format as fmt
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.create_order import _int_slot, check_amount_text
from spacrm.intents.staff.order_card import (
    METHOD_ICONS,
    OPEN,
    ask_amount,
    ask_method,
    payment_replies,
)
from spacrm.intents.staff.resolve import resolve_lead


async def _order_id(ctx: Ctx, slots: dict[str, Any]) -> int | list[Reply]:
    if slots.get("order_id"):
        return int(slots["order_id"])
    if slots.get("order"):
        return (await get_order(ctx.actor, number=str(slots["order"]))).id
    found = await resolve_lead(ctx, "record_payment", slots)
    if isinstance(found, list):
        return found
    ctx.done()
    orders = [o for o in await search_orders(ctx.actor, lead_id=found.id, limit=20)
              if o.status in OPEN and o.total > o.paid]  # fmt: skip
    if not orders:
        return [Reply(ctx.t("err.no_open_order", name=found.name))]
    if len(orders) == 1:
        return orders[0].id
    buttons = [[Button(f"{o.number} — {fmt.money_short(o.total - o.paid)}", f"oo:{o.id}")]
               for o in orders[:5]]  # fmt: skip
    keep = {k: v for k, v in slots.items() if k in ("amount", "method")}
    return ctx.ask("record_payment", keep, "pick_order", ctx.t("ask.pick_order", name=found.name),
                   buttons)  # fmt: skip


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    if ctx.event.text and "order_id" not in slots:
        check_amount_text(ctx)
    order_id = await _order_id(ctx, slots)
    if isinstance(order_id, list):
        return order_id
    amount = _int_slot(slots, "amount")
    if amount is None:
        return await ask_amount(ctx, order_id, {k: v for k, v in slots.items() if k == "method"})
    if amount <= 0:
        raise DomainError(ErrorCode.BAD_AMOUNT, value=str(slots.get("amount")))
    method = str(slots.get("method") or "")
    if method not in METHOD_ICONS:
        # Cash, transfer or card decides which drawer or account the money is in at the day's
        # close: never guessed ("thu c Lan 2tr" said nothing of it).
        return ask_method(ctx, order_id, amount)
    ctx.done()
    key = f"ev:{ctx.event.channel}:{ctx.event.event_id}" if ctx.event.event_id else None
    paid = await record_payment(ctx.actor, order_id=order_id, amount=amount, method=method,
                                idem_key=key)  # fmt: skip
    return await payment_replies(ctx, paid)
