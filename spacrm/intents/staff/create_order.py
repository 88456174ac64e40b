"""create_order: "bán gói triệt nách 10 buổi cho chị Lan 2tr5 ck", "chị Hương mua 2 hộp kem chống
nắng", "tạo đơn cho anh Tuấn gói massage body 5 buổi giảm 10%".

The customer is resolved like every other intent; the item is looked up in the catalogue
(diacritics optional) and asked with buttons when several fit. A typed amount is the line total
(a different price than the list needs the permission); a method means it was paid now.
"""

from __future__ import annotations

import re
from typing import Any

from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.services import stock
from spacrm.core.services.catalog import Candidate, candidate, find_items
from spacrm.core.services.orders import OrderItemSpec, create_order, sell_walk_in
from spacrm.core.services.vouchers import record_payment
from spacrm.intents import format as fmt
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.order_card import ask_method, order_reply, payment_replies
from spacrm.intents.staff.resolve import resolve_lead

MAX_CHOICES = 6
# "1tr5k", "2tr500k": two units in one amount — ask rather than guess which was meant.
_MIXED_AMOUNT = re.compile(r"\b\d+\s*(?:tr|triệu|trieu|m)\s*\d+\s*k\b", re.IGNORECASE)


def check_amount_text(ctx: Ctx) -> None:
    text = ctx.event.text or ""
    bad = _MIXED_AMOUNT.search(text)
    if bad:
        raise DomainError(ErrorCode.BAD_AMOUNT, value=bad.group(0))


def _int_slot(slots: dict[str, Any], key: str) -> int | None:
    value = slots.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise DomainError(ErrorCode.BAD_AMOUNT if key == "amount" else ErrorCode.BAD_QUANTITY,
                          value=str(value))  # fmt: skip
    try:
        return int(value)
    except ValueError:
        code = ErrorCode.BAD_AMOUNT if key == "amount" else ErrorCode.BAD_QUANTITY
        raise DomainError(code, value=str(value)) from None


def _spec(found: Candidate, slots: dict[str, Any]) -> OrderItemSpec:
    quantity = _int_slot(slots, "quantity")
    sessions = _int_slot(slots, "sessions")
    amount = _int_slot(slots, "amount")
    if amount is not None and amount <= 0:
        raise DomainError(ErrorCode.BAD_AMOUNT, value=str(slots.get("amount")))
    if found.kind == "package":
        # The sessions in "gói triệt nách 10 buổi" name the package; they are not a count.
        return OrderItemSpec(package_id=found.ref_id, quantity=1 if quantity is None else quantity,
                             amount=amount)  # fmt: skip
    if found.kind == "service":
        return OrderItemSpec(item_id=found.ref_id, sessions=sessions,
                             quantity=1 if quantity is None else quantity, amount=amount)  # fmt: skip
    return OrderItemSpec(item_id=found.ref_id, quantity=1 if quantity is None else quantity,
                         amount=amount)  # fmt: skip


def _ask_amount_meaning(ctx: Ctx, slots: dict[str, Any], item: Candidate) -> list[Reply] | None:
    """ "2 chai serum 850k": 850k may be the price of one or of both. It is the total when it is
    the list price times the count; otherwise a wrong guess records the wrong amount (a silent
    half-price sale, or double), so ask. The answer ("ou:t" / "ou:u") comes back in `amount_as`."""
    quantity, amount = _int_slot(slots, "quantity"), _int_slot(slots, "amount")
    meaning = str(slots.get("amount_as") or "")
    if quantity is None or quantity < 2 or amount is None or amount <= 0:
        return None
    if meaning == "unit":
        slots["amount"] = amount * quantity
        slots["amount_as"] = "total"
        return None
    if meaning == "total" or amount == item.price * quantity:
        return None
    slots["item_ref"] = item.token
    buttons = [
        [Button(ctx.t("btn.amount_total", amount=fmt.money(amount),
                      each=fmt.money(amount // quantity)), "ou:t")],
        [Button(ctx.t("btn.amount_unit", amount=fmt.money(amount), count=quantity,
                      total=fmt.money(amount * quantity)), "ou:u")],
    ]  # fmt: skip
    text = ctx.t("ask.amount_meaning", amount=fmt.money(amount), count=quantity, item=item.name,
                 price=fmt.money(item.price))  # fmt: skip
    return ctx.ask("create_order", slots, "amount_as", text, buttons)


async def pick_amount(ctx: Ctx, args: list[str]) -> list[Reply]:
    """ "ou:t" / "ou:u": the typed amount was the total / the price of one."""
    pending = ctx.state.get("pending")
    if not pending or pending.get("intent") != "create_order" or not args:
        return [Reply(ctx.t("err.stale"), toast=ctx.t("err.stale"))]
    ctx.done()
    meaning = "unit" if args[0] == "u" else "total"
    return await run(ctx, {**pending["slots"], "amount_as": meaning})


def item_buttons(ctx: Ctx, found: list[Candidate]) -> list[list[Button]]:
    return [[Button(f"{c.name} — {fmt.money_short(c.price)}", f"oi:{c.token}")]
            for c in found[:MAX_CHOICES]]  # fmt: skip


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    if ctx.event.text and not slots.get("lead_id"):
        check_amount_text(ctx)
    lead = None
    if not slots.get("walk_in"):  # a walk-in ("khách lẻ") is nobody to look up
        found_lead = await resolve_lead(ctx, "create_order", slots)
        if isinstance(found_lead, list):
            return found_lead
        lead = found_lead
        slots["lead_id"] = lead.id
    name = lead.name if lead is not None else ctx.t("order.walk_in")
    for key in ("customer", "phone"):
        slots.pop(key, None)
    for count in ("quantity", "sessions"):
        value = _int_slot(slots, count)
        if value is not None and value < 1:
            ctx.done()
            raise DomainError(ErrorCode.BAD_QUANTITY, value=str(value))
    if slots.get("item_ref"):
        item = await candidate(str(slots["item_ref"]))
    else:
        text = str(slots.get("item") or "").strip()
        if not text:
            return ctx.ask("create_order", slots, "item", ctx.t("ask.item", name=name))
        sessions = _int_slot(slots, "sessions")
        found = await find_items(text, sessions=sessions)
        if not found:
            ctx.done()
            raise DomainError(ErrorCode.ITEM_NOT_FOUND, item=text)
        if len(found) > 1:
            return ctx.ask("create_order", slots, "item", ctx.t("ask.pick_item", item=text),
                           item_buttons(ctx, found))  # fmt: skip
        item = found[0]
    asked = _ask_amount_meaning(ctx, slots, item)
    if asked is not None:
        return asked
    ctx.done()
    discount = _int_slot(slots, "discount_pct") or 0
    off = _int_slot(slots, "discount") or 0  # "gói 5tr giảm 500k": VND off the price
    if lead is None:
        order = await sell_walk_in(ctx.actor, items=[_spec(item, slots)], discount_pct=discount,
                                   discount_amount=off)  # fmt: skip
    else:
        order = await create_order(ctx.actor, lead_id=lead.id, items=[_spec(item, slots)],
                                   discount_pct=discount, discount_amount=off)  # fmt: skip
        ctx.state["focus"] = lead.id
    headline = ctx.t("ok.order_created", number=order.number, name=name)
    for low in await stock.low_after_sale(order.id):  # the seller sees what the shelf lacks
        key = "warn.stock_negative_sale" if low.qty_milli < 0 else "warn.stock_low_sale"
        headline += "\n" + ctx.t(key, product=low.product_name, branch=low.branch_name,
                                  left=stock.shown(low.qty_milli), unit=low.unit)  # fmt: skip
    method = slots.get("method")
    # "gói 10 buổi 3tr, ck trước 1tr": a second amount is what was paid now, not the total.
    now = _int_slot(slots, "paid")
    if now is not None and not 0 < now <= order.total:
        headline += "\n" + ctx.t("warn.paid_over_total", paid=fmt.money(now),
                                  total=fmt.money(order.total))  # fmt: skip
        now = method = None  # nothing recorded: staff take the payment from the order's card
    if method in ("cash", "transfer", "card"):
        idem = f"ev:{ctx.event.channel}:{ctx.event.event_id}" if ctx.event.event_id else None
        paid = await record_payment(ctx.actor, order_id=order.id,
                                    amount=order.total if now is None else now,
                                    method=str(method), idem_key=idem)  # fmt: skip
        rest = slots.get("rest_method")
        if now is not None and now < order.total and rest in ("cash", "transfer", "card"):
            # "ck 500k, còn lại tiền mặt": the rest is paid now too, its own receipt
            paid = await record_payment(ctx.actor, order_id=order.id, amount=order.total - now,
                                        method=str(rest),
                                        idem_key=f"{idem}:rest" if idem else None)  # fmt: skip
            headline += "\n" + ctx.t("ok.paid_first", amount=fmt.money(now),
                                      method=ctx.t(f"method.{method}"))  # fmt: skip
        replies = await payment_replies(ctx, paid)
        replies[0].text = headline + "\n" + replies[0].text
        return replies
    card = await order_reply(ctx, order.id, headline=headline)
    if now is not None:  # paid now, how not said: asked, nothing guessed
        return [card, *ask_method(ctx, order.id, now)]
    return [card]
