"""refund: "hoàn tiền đơn HD2026-000012 500k tm", "hoàn 1tr2 cho c Lan ck".

The order is the one named, else the customer's only order holding money (several: the order
picker). A card shows the payment voucher it would write (amount, order, paid so far, method)
with "Hoàn tiền" and "Hủy"; the voucher is written with the card's key as its idempotency key, so
a double press writes one. Branch directors and above only (services/refunds).
Payloads: "rfy:<key>" write, "rfo:<order id>" the order chosen.
"""

from __future__ import annotations

import secrets
from typing import Any

from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.services.numbering import vnd
from spacrm.core.services.orders import get_order, search_orders
from spacrm.core.services.refunds import can_refund, paid_by, refund_payment
from spacrm.intents import format as fmt
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.create_order import _int_slot
from spacrm.intents.staff.resolve import resolve_lead

DRAFT = "refund_draft"
SAVED = "refund_saved"


async def _order_id(ctx: Ctx, slots: dict[str, Any]) -> int | list[Reply]:
    if slots.get("order_id"):
        return int(slots["order_id"])
    if slots.get("order"):
        return (await get_order(ctx.actor, number=str(slots["order"]))).id
    found = await resolve_lead(ctx, "refund", slots)
    if isinstance(found, list):
        return found
    ctx.done()
    orders = [o for o in await search_orders(ctx.actor, lead_id=found.id, limit=20) if o.paid > 0]
    if not orders:
        return [Reply(ctx.t("err.no_paid_order", name=found.name))]
    if len(orders) == 1:
        return orders[0].id
    buttons = [[Button(f"{o.number} — {fmt.money_short(o.paid)}", f"rfo:{o.id}")]
               for o in orders[:5]]  # fmt: skip
    keep = {k: v for k, v in slots.items() if k in ("amount", "method")}
    return ctx.ask(
        "refund", keep, "pick_order", ctx.t("ask.pick_refund_order", name=found.name), buttons
    )


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    if not can_refund(ctx.actor):
        ctx.done()
        return [Reply(ctx.t("err.refund_forbidden"))]
    order_id = await _order_id(ctx, slots)
    if isinstance(order_id, list):
        return order_id
    order = await get_order(ctx.actor, order_id=order_id)
    amount = _int_slot(slots, "amount")
    if amount is None:
        keep = {k: v for k, v in slots.items() if k == "method"}
        return ctx.ask("refund", {**keep, "order_id": order.id}, "amount",
                       ctx.t("ask.refund_amount", number=order.number, paid=vnd(order.paid)))  # fmt: skip
    ctx.done()
    if amount <= 0:
        raise DomainError(ErrorCode.BAD_AMOUNT, value=str(slots.get("amount")))
    if amount > order.paid:
        raise DomainError(ErrorCode.OVER_REFUND, number=order.number, paid=vnd(order.paid),
                          amount=vnd(amount))  # fmt: skip
    method = str(slots.get("method") or await paid_by(order.id) or "cash")
    key = "k" + secrets.token_hex(5)  # never all digits: the engine refuses such arguments
    ctx.state[DRAFT] = {"key": key, "order_id": order.id, "amount": amount, "method": method}
    text = ctx.t("refund.draft", amount=fmt.money(amount), number=order.number,
                 paid=fmt.money(order.paid), method=ctx.t(f"method.{method}"))  # fmt: skip
    return [Reply(text, [[Button(ctx.t("btn.refund"), f"rfy:{key}"), ctx.cancel_button()]])]


async def write(ctx: Ctx, args: list[str]) -> list[Reply]:
    """ "Hoàn tiền": the payment voucher is written (once per card)."""
    key = args[0]
    draft = ctx.state.get(DRAFT)
    if not isinstance(draft, dict) or draft.get("key") != key:
        saved = ctx.state.get(SAVED) or {}
        if saved.get("key") == key:
            text = ctx.t("ok.refund_repeat", number=saved["number"])
            return [Reply(text, toast=text)]
        return [Reply(ctx.t("err.stale"), toast=ctx.t("err.stale"))]
    done = await refund_payment(
        ctx.actor, order_id=int(draft["order_id"]), amount=int(draft["amount"]),
        method=str(draft["method"]), idem_key=f"rf:{key}",
    )  # fmt: skip
    ctx.state.pop(DRAFT, None)
    ctx.state[SAVED] = {"key": key, "number": done.voucher.number}
    order = done.order
    text = ctx.t("ok.refund", number=done.voucher.number, amount=fmt.money(done.voucher.amount),
                 order=order.number, paid=fmt.money(order.paid),
                 debt=fmt.money(max(0, order.total - order.paid)))  # fmt: skip
    return [Reply(text, edit=True)]


async def press_order(ctx: Ctx, args: list[str]) -> list[Reply]:
    """An order chosen among the customer's: continue the pending refund."""
    pending = ctx.state.get("pending")
    if not pending or pending.get("intent") != "refund":
        return [Reply(ctx.t("err.stale"), toast=ctx.t("err.stale"))]
    slots = {**pending["slots"], "order_id": int(args[0])}
    ctx.done()
    return await run(ctx, slots)
