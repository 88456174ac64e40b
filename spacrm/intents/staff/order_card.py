"""The order card (#9) and its buttons: Thu tiền, Gửi QR, In bill, Hủy đơn.

Payloads (≤ 64 bytes): "oc:<order>" show, "oa:<order>" ask an amount, "of:<order>:<version>:<m>"
take the whole outstanding (m: c cash, t transfer, k card), "ox:<order>:<version>" ask to cancel,
"oy:<order>:<version>" cancel, "oi:<item token>" pick an item for create_order, "oo:<order>"
pick an order for record_payment, "ba:<review>" / "bi:<review>" assign / ignore a bank transfer.
"oq:<order>" (QR) and "op:<order>" (bill) belong to the payments feature.

The whole-amount buttons carry the order's version: pressing one twice (or two people pressing
the same card) uses one idempotency key, so only one receipt is written.
"""

from __future__ import annotations

from spacrm.core.services import bank_transfers
from spacrm.core.services.courses import courses_of
from spacrm.core.services.numbering import vnd
from spacrm.core.services.orders import OrderView, cancel_order, get_order, order_view
from spacrm.core.services.vouchers import Payment, record_payment
from spacrm.intents import format as fmt
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.order_deal_card import add_deal

METHODS = {"c": "cash", "t": "transfer", "k": "card"}
METHOD_ICONS = {"cash": "💵", "transfer": "🏦", "card": "💳"}
OPEN = ("draft", "confirmed", "partly_paid")


def render_order(ctx: Ctx, view: OrderView, *, headline: str | None = None,
                 edit: bool = False) -> Reply:  # fmt: skip
    lines = [headline] if headline else []
    lines.append(ctx.t("order.title", number=view.number, date=fmt.day(view.date, ctx.lang)))
    customer = view.customer_name + (
        f" · {fmt.phone(view.customer_phone)}" if view.customer_phone else ""
    )
    lines.append(ctx.t("order.customer", name=customer))
    if view.branch_name or view.seller_name:
        lines.append(ctx.t("order.branch", branch=view.branch_name, seller=view.seller_name))
    for line in view.lines:
        count = ctx.t("order.sessions", n=line.sessions) if line.sessions else f"x{line.quantity}"
        lines.append(f"• {line.name} · {count} · {fmt.money(line.amount)}")
    if view.discount:
        lines.append(ctx.t("order.subtotal", amount=fmt.money(view.subtotal)))
        lines.append(ctx.t("order.discount", amount=fmt.money(view.discount)))
    lines.append(ctx.t("order.total", amount=fmt.money(view.total)))
    lines.append(ctx.t("order.paid", amount=fmt.money(view.paid)))
    if view.outstanding:
        lines.append(ctx.t("order.outstanding", amount=fmt.money(view.outstanding)))
    lines.append(ctx.t("order.status", status=ctx.t(f"order.status.{view.status}")))
    for p in view.payments:
        lines.append(ctx.t("order.payment", number=p.number, date=fmt.day(p.date, ctx.lang, weekday=False),
                           method=ctx.t(f"method.{p.method}"), amount=fmt.money(p.amount)))  # fmt: skip
    return Reply("\n".join(lines), order_buttons(ctx, view), edit=edit)


def order_buttons(ctx: Ctx, view: OrderView) -> list[list[Button]]:
    rows: list[list[Button]] = []
    if view.status in OPEN and view.outstanding:
        rows.append(
            [Button(ctx.t("btn.pay"), f"oa:{view.id}"), Button(ctx.t("btn.qr"), f"oq:{view.id}")]
        )
    bottom = [Button(ctx.t("btn.bill"), f"op:{view.id}")]
    if view.status in OPEN and not view.paid:
        bottom.append(Button(ctx.t("btn.cancel_order"), f"ox:{view.id}:{view.version}"))
    if view.status != "cancelled":
        bottom.append(Button(ctx.t("btn.order_task"), f"ow:{view.id}"))  # work on it (#30)
    rows.append(bottom)
    return rows


async def order_reply(ctx: Ctx, order_id: int, *, headline: str | None = None,
                      edit: bool = False) -> Reply:  # fmt: skip
    view = await order_view(ctx.actor, order_id)
    reply = render_order(ctx, view, headline=headline, edit=edit)
    return await add_deal(ctx, reply, order_id)  # its opportunity (#32)


def pay_buttons(ctx: Ctx, view: OrderView) -> list[list[Button]]:
    """Take the whole outstanding amount in one press, by method."""
    amount = fmt.money_short(view.outstanding)
    return [[Button(f"{METHOD_ICONS[method]} {amount}", f"of:{view.id}:{view.version}:{code}")
             for code, method in METHODS.items()]]  # fmt: skip


def ask_method(ctx: Ctx, order_id: int, amount: int) -> list[Reply]:
    """How `amount` was paid on the order, asked with a button per method."""
    buttons = [[Button(f"{icon} {ctx.t(f'method.{m}')}", f"mh:{m}")
                for m, icon in METHOD_ICONS.items()]]  # fmt: skip
    return ctx.ask("record_payment", {"order_id": order_id, "amount": amount}, "method",
                   ctx.t("ask.pay_method", amount=fmt.money(amount)), buttons)  # fmt: skip


async def ask_amount(
    ctx: Ctx, order_id: int, slots: dict[str, object] | None = None
) -> list[Reply]:
    view = await order_view(ctx.actor, order_id)
    if view.status == "cancelled":
        return [Reply(ctx.t("err.order_cancelled", number=view.number))]
    if not view.outstanding:
        return [Reply(ctx.t("err.order_paid", number=view.number))]
    question = ctx.t("ask.pay_amount", number=view.number, outstanding=fmt.money(view.outstanding))
    return ctx.ask("record_payment", {**(slots or {}), "order_id": order_id}, "amount", question,
                   pay_buttons(ctx, view))  # fmt: skip


async def payment_replies(ctx: Ctx, paid: Payment, *, edit: bool = False) -> list[Reply]:
    """What staff see after a receipt: the receipt line, the card, any course it opened."""
    order = paid.order
    if paid.repeated:
        head = ctx.t("ok.payment_repeat", voucher=paid.voucher.number)
    else:
        head = ctx.t("ok.paid", amount=fmt.money(paid.voucher.amount),
                     method=ctx.t(f"method.{paid.voucher.method}"), number=order.number,
                     voucher=paid.voucher.number)  # fmt: skip
        if paid.became_paid:
            head += "\n" + ctx.t("ok.paid_full", number=order.number)
    for course in paid.courses:
        expires = fmt.day(course.expires_on, ctx.lang, weekday=False) if course.expires_on else "—"
        head += "\n" + ctx.t("ok.course_opened", name=course.name, sessions=course.sessions_total,
                             expires=expires)  # fmt: skip
    return [await order_reply(ctx, order.id, headline=head, edit=edit)]


async def show(ctx: Ctx, args: list[str]) -> list[Reply]:
    return [await order_reply(ctx, int(args[0]))]


async def pay(ctx: Ctx, args: list[str]) -> list[Reply]:
    return await ask_amount(ctx, int(args[0]))


async def pay_full(ctx: Ctx, args: list[str]) -> list[Reply]:
    order_id, version, method = int(args[0]), int(args[1]), METHODS[args[2]]
    key = f"of:{order_id}:{version}"
    order = await get_order(ctx.actor, order_id=order_id)
    ctx.done()
    if order.version != version:
        # The card is outdated: a receipt from this very button, or another change.
        from spacrm.core.services.vouchers import previous_payment

        earlier = await previous_payment(key)
        if earlier is not None:
            return await payment_replies(ctx, earlier)
        card = await order_reply(ctx, order_id)
        card.toast = ctx.t("err.stale")
        return [Reply(ctx.t("err.stale")), card]
    amount = order.total - order.paid
    paid = await record_payment(
        ctx.actor, order_id=order_id, amount=amount, method=method, idem_key=key
    )
    return await payment_replies(ctx, paid)


async def ask_cancel(ctx: Ctx, args: list[str]) -> list[Reply]:
    order = await get_order(ctx.actor, order_id=int(args[0]))
    buttons = [[Button(ctx.t("btn.confirm_cancel"), f"oy:{order.id}:{args[1]}")]]
    question = ctx.t("ask.confirm_cancel", number=order.number, total=fmt.money(order.total))
    return [Reply(question, [*buttons, [ctx.cancel_button()]])]


async def cancel(ctx: Ctx, args: list[str]) -> list[Reply]:
    order = await cancel_order(ctx.actor, order_id=int(args[0]), expected_version=int(args[1]))
    return [await order_reply(ctx, order.id, headline=ctx.t("ok.order_cancelled", number=order.number),
                              edit=True)]  # fmt: skip


async def pick_item(ctx: Ctx, args: list[str]) -> list[Reply]:
    from spacrm.intents.staff import create_order

    pending = ctx.state.get("pending")
    if not pending or pending.get("intent") != "create_order":
        return [Reply(ctx.t("err.stale"), toast=ctx.t("err.stale"))]
    ctx.done()
    return await create_order.run(ctx, {**pending["slots"], "item_ref": args[0]})


async def pick_order(ctx: Ctx, args: list[str]) -> list[Reply]:
    from spacrm.intents.staff import record_payment as payment_intent

    pending = ctx.state.get("pending") or {}
    slots = dict(pending.get("slots") or {}) if pending.get("intent") == "record_payment" else {}
    ctx.done()
    return await payment_intent.run(ctx, {**slots, "order_id": int(args[0])})


async def bank_assign(ctx: Ctx, args: list[str]) -> list[Reply]:
    review, transfer = await bank_transfers.get_review(ctx.actor, int(args[0]))
    return ctx.ask("bank_assign", {"review_id": review.id}, "order",
                   ctx.t("ask.bank_order", amount=vnd(transfer.amount)))  # fmt: skip


async def bank_ignore(ctx: Ctx, args: list[str]) -> list[Reply]:
    review = await bank_transfers.resolve_review(ctx.actor, review_id=int(args[0]), ignore=True)
    text = ctx.t("ok.bank_ignored", id=review.id)
    return [Reply(text, edit=True, toast=text)]


async def bank_order_typed(ctx: Ctx, slots: dict[str, object]) -> list[Reply]:
    """The order number typed after "Gán vào đơn"."""
    number = str(slots.get("order") or slots.get("text") or "")
    review = await bank_transfers.resolve_review(
        ctx.actor, review_id=int(str(slots["review_id"])), order_number=number
    )
    order_id = review.order_id or 0
    view = await order_view(ctx.actor, order_id)
    return [render_order(ctx, view, headline=ctx.t("ok.bank_assigned", number=view.number))]


async def courses_line(ctx: Ctx, lead_id: int) -> str:
    rows = await courses_of(ctx.actor, lead_id=lead_id, active_only=True)
    return ", ".join(f"{c.name} {c.sessions_left}/{c.sessions_total}" for c in rows)
