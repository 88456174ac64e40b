"""What the stock intents share: the product and the branch a message names."""

from __future__ import annotations

from typing import Any

from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.services import availability, bookings, stock
from spacrm.core.textnorm import fold
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx

UNIT_WORDS = {"hop", "chai", "ml", "l", "lit", "tuyp", "lo", "goi", "cai", "ong", "mieng", "bo",
              "khay", "tui", "cap", "g", "kg", "hu", "thung", "loc"}  # fmt: skip


async def product_and_branch(
    ctx: Ctx, intent: str, slots: dict[str, Any], *, trim: bool = False
) -> tuple[int, int | None] | list[Reply]:
    """(product id, branch id or None) or the question/error to reply with. With `trim`, words
    after the product that name none ("serum C cho phòng 3") are dropped from the end until a
    product matches: the move is confirmed on a card, so the product is shown before it counts."""
    if "product_id" not in slots:
        name = slots.pop("text", None) or slots.get("product")
        if not name:
            return ctx.ask(intent, slots, "product", ctx.t("ask.product"))
        items = await availability.find_items(str(name), stock.PRODUCT_KINDS)
        first, _, rest = str(name).partition(" ")
        if not items and rest and fold(first) in UNIT_WORDS:  # "20 ml gel" → "gel"
            items = await availability.find_items(rest, stock.PRODUCT_KINDS)
        words = str(name).split()
        while trim and not items and len(words) > 1:
            words.pop()
            items = await availability.find_items(" ".join(words), stock.PRODUCT_KINDS)
        if not items:
            ctx.done()
            return [Reply(ctx.t("err.product_not_found", query=name))]
        if len(items) > 1:
            buttons = [[Button(i.name, f"sp:{i.id}")] for i in items]
            return ctx.ask(intent, slots, "product", ctx.t("ask.pick_product", query=name), buttons)
        slots["product_id"] = items[0].id
    branch_id: int | None = None
    if slots.get("branch"):
        branch = await stock.find_branch(str(slots["branch"]))
        if branch is None:
            ctx.done()
            return [Reply(ctx.t("err.branch_not_found", name=slots["branch"]))]
        branch_id = branch.id
    return int(slots["product_id"]), branch_id


async def home_branch(ctx: Ctx) -> int:
    return await bookings.site_branch(ctx.actor)


async def managed_product(
    ctx: Ctx, intent: str, slots: dict[str, Any]
) -> tuple[int, int] | list[Reply]:
    """(product id, branch id) for goods taken out of a branch's stock (an issue, a transfer):
    the branch named, else the actor's own, refused unless the actor manages its stock."""
    found = await product_and_branch(ctx, intent, slots, trim=True)
    if isinstance(found, list):
        return found
    product_id, branch_id = found
    branch_id = branch_id or await home_branch(ctx)
    if not stock.may_manage(ctx.actor, branch_id):
        ctx.done()
        raise DomainError(ErrorCode.FORBIDDEN)
    return product_id, branch_id


async def press_product(ctx: Ctx, args: list[str]) -> list[Reply]:
    """A product chosen among several: continue the pending stock intent."""
    from spacrm.intents.staff import stock_in, stock_out, stock_query, transfer_stock

    pending = ctx.state.get("pending")
    runs = {"stock_in": stock_in.run, "stock_query": stock_query.run, "stock_out": stock_out.run,
            "transfer_stock": transfer_stock.run}  # fmt: skip
    if not pending or pending.get("intent") not in runs:
        return [Reply(ctx.t("err.stale"), toast=ctx.t("err.stale"))]
    slots = {**pending["slots"], "product_id": int(args[0])}
    slots.pop("text", None)
    ctx.done()
    return await runs[pending["intent"]](ctx, slots)
