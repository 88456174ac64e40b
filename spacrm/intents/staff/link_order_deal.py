"""link_order_deal (#32): "gắn đơn HD2026-000012 vào cơ hội Trọn gói cưới" — the order's
opportunity, for profit by opportunity. The name is matched among the order customer's own deals
only; several match → the user picks one; none → the deals there are, as buttons. Never a guess.

Payload "og:<order>:<deal>": link from a button (the order card's, or a choice offered here).
"""

from __future__ import annotations

from typing import Any

from spacrm.core.services.order_deals import deal_choices, deal_name, find_deals, link_order
from spacrm.core.services.orders import get_order
from spacrm.core.textnorm import fold
from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.order_card import order_reply
from spacrm.intents.staff.order_deal_card import choice_buttons

_ASKS = ("nao", "gi", "")  # "đơn … thuộc cơ hội nào?": show it, link nothing


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    ctx.done()
    number = str(slots.get("order") or "")
    if not number:
        return [Reply(ctx.t("deal.ask_order"))]
    order = await get_order(ctx.actor, number=number)
    name = str(slots.get("deal") or "").strip()
    if fold(name).strip(" ?") in _ASKS:
        return [await order_reply(ctx, order.id)]  # the card says the deal, or offers them
    found = await find_deals(order, name)
    if len(found) == 1:
        return await _linked(ctx, order.id, found[0].id)
    offered = found or await deal_choices(order)
    key = "deal.several" if found else ("deal.not_found" if offered else "deal.none")
    text = ctx.t(key, name=name, number=order.number, customer=order.customer_name)
    return [Reply(text, choice_buttons(ctx, order.id, offered))]


async def _linked(ctx: Ctx, order_id: int, deal_id: int, *, edit: bool = False) -> list[Reply]:
    order = await link_order(ctx.actor, order_id=order_id, deal_id=deal_id)
    # Not undoable (link it to the right deal instead); noted so "hoàn tác" does not offer an
    # older change as the last one.
    ctx.changed("deal_link", order_id=order.id, deal_id=deal_id)
    head = ctx.t("deal.linked", number=order.number, name=await deal_name(order) or "")
    return [await order_reply(ctx, order.id, headline=head, edit=edit)]


async def pressed(ctx: Ctx, args: list[str]) -> list[Reply]:
    ctx.intent = "link_order_deal"
    return await _linked(ctx, int(args[0]), int(args[1]), edit=True)
