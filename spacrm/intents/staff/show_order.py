"""show_order: "xem đơn HD2026-000123", "đơn hàng của chị Lan" (newest first, buttons to open)."""

from __future__ import annotations

from typing import Any

from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.services.orders import get_order, search_orders
from spacrm.intents import format as fmt
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.order_card import order_reply
from spacrm.intents.staff.resolve import resolve_lead

LIST_SIZE = 5


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    if slots.get("order"):
        ctx.done()
        try:
            order = await get_order(ctx.actor, number=str(slots["order"]))
        except DomainError as exc:
            if exc.code == ErrorCode.NOT_FOUND:
                return [Reply(ctx.t("err.order_not_found", query=slots["order"]))]
            raise
        return [await order_reply(ctx, order.id)]
    found = await resolve_lead(ctx, "show_order", slots)
    if isinstance(found, list):
        return found
    ctx.done()
    ctx.state["focus"] = found.id
    orders = await search_orders(ctx.actor, lead_id=found.id, limit=LIST_SIZE)
    if not orders:
        return [Reply(ctx.t("order.none", name=found.name))]
    if len(orders) == 1:
        return [await order_reply(ctx, orders[0].id)]
    lines = [ctx.t("order.list", name=found.name, n=len(orders))]
    buttons = []
    for o in orders:
        status = ctx.t(f"order.status.{o.status}")
        lines.append(f"• {o.number} · {fmt.day(o.order_date, ctx.lang, weekday=False)} · "
                     f"{fmt.money(o.total)} · {status}")  # fmt: skip
        buttons.append([Button(f"{o.number} — {fmt.money_short(o.total)}", f"oc:{o.id}")])
    return [Reply("\n".join(lines), buttons)]
