"""The order card's opportunity part (#32): "🎯 Cơ hội: …" when the order is linked, else one
button per deal of the customer it could close ("og:<order>:<deal>", link_order_deal.pressed)."""

from __future__ import annotations

from spacrm.core.services.order_deals import DealChoice, order_deal
from spacrm.intents import format as fmt
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx

CARD_CHOICES = 3  # the card stays short; "gắn đơn … vào cơ hội …" reaches the others


def choice_buttons(ctx: Ctx, order_id: int, choices: list[DealChoice]) -> list[list[Button]]:
    return [
        [Button(ctx.t("btn.link_deal", name=c.name[:40], stage=ctx.t(f"dstage.{c.stage}"),
                      amount=fmt.money_short(c.amount)), f"og:{order_id}:{c.id}")]
        for c in choices
    ]  # fmt: skip


async def add_deal(ctx: Ctx, reply: Reply, order_id: int) -> Reply:
    """The reply of an order card, with its opportunity line or link buttons."""
    deal = await order_deal(ctx.actor, order_id)
    if deal.linked is not None:
        reply.text += "\n" + ctx.t("order.deal", name=deal.linked)
    elif deal.choices:
        reply.buttons = [
            *reply.buttons,
            *choice_buttons(ctx, order_id, deal.choices[:CARD_CHOICES]),
        ]
    return reply
