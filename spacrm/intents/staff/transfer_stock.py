"""transfer_stock: "chuyển 10 hộp mặt nạ sang Gò Vấp", "chuyển kho 3 chai serum từ Q1 sang Gò Vấp".

From the actor's branch (or the one after "từ") to the branch named, confirmed on a card before
the "transfer_out"/"transfer_in" pair is written. More than on hand is refused before the card.
Payloads: "stx:<key>" write, "stb:<branch id>" the target branch chosen.
"""

from __future__ import annotations

from typing import Any

from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.services.stock import (
    check_issue,
    find_branch,
    other_branches,
    stock_query,
    transfer_stock,
)
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff import stock_draft
from spacrm.intents.staff.stock_common import managed_product
from spacrm.intents.staff.stock_query import _qty


async def _target(ctx: Ctx, slots: dict[str, Any], source: int) -> int | list[Reply]:
    if slots.get("to_branch_id"):
        return int(slots["to_branch_id"])
    name = slots.get("to_branch") or slots.pop("text", None)
    if name:
        branch = await find_branch(str(name))
        if branch is None:
            ctx.done()
            return [Reply(ctx.t("err.branch_not_found", name=name))]
        return branch.id
    buttons = [[Button(name, f"stb:{bid}")] for bid, name in (await other_branches(source))[:8]]
    return ctx.ask("transfer_stock", slots, "text", ctx.t("ask.stock_target"), buttons)


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    found = await managed_product(ctx, "transfer_stock", slots)
    if isinstance(found, list):
        return found
    product_id, source = found
    target = await _target(ctx, slots, source)
    if isinstance(target, list):
        return target
    slots["to_branch_id"] = target
    if slots.get("quantity") is None:
        written = slots.pop("text", None)
        if written is None or not str(written).strip():
            return ctx.ask("transfer_stock", slots, "text", ctx.t("ask.move_quantity"))
        slots["quantity"] = str(written)
    ctx.done()
    if target == source:
        raise DomainError(ErrorCode.SAME_WAREHOUSE)
    quantity = stock_draft.quantity_of(slots["quantity"])
    row = await check_issue(ctx.actor, product_id=product_id, branch_id=source,
                            quantity=quantity)  # fmt: skip
    names = dict(await other_branches(source))
    text = ctx.t("transfer_stock.draft", qty=_qty(quantity), unit=row.unit,
                 product=row.product_name, source=row.branch_name, target=names.get(target, ""),
                 left=_qty(row.quantity - quantity))  # fmt: skip
    draft = {"kind": "transfer", "product_id": product_id, "source": source, "target": target,
             "quantity": quantity}  # fmt: skip
    return [stock_draft.card(ctx, draft, text, "btn.stock_transfer", "stx")]


async def write(ctx: Ctx, args: list[str]) -> list[Reply]:
    """ "Chuyển kho": the pair of moves is written (once per draft)."""
    draft = stock_draft.take(ctx, args[0], "transfer")
    if isinstance(draft, list):
        return draft
    product_id, quantity = int(draft["product_id"]), float(draft["quantity"])
    await transfer_stock(
        ctx.actor, product_id=product_id, quantity=quantity, from_branch_id=int(draft["source"]),
        to_branch_id=int(draft["target"]), idem_key=f"st:{draft['key']}",
    )  # fmt: skip
    stock_draft.written(ctx, args[0])
    rows = {r.branch_id: r for r in await stock_query(ctx.actor, product_id=product_id)}
    src, dst = rows[int(draft["source"])], rows[int(draft["target"])]
    text = ctx.t("ok.stock_transfer", qty=_qty(quantity), unit=src.unit, product=src.product_name,
                 source=src.branch_name, target=dst.branch_name, left=_qty(src.quantity),
                 there=_qty(dst.quantity))  # fmt: skip
    return [Reply(text, edit=True)]


async def press_branch(ctx: Ctx, args: list[str]) -> list[Reply]:
    """A target branch chosen among the buttons: continue the pending transfer."""
    pending = ctx.state.get("pending")
    if not pending or pending.get("intent") != "transfer_stock":
        return [Reply(ctx.t("err.stale"), toast=ctx.t("err.stale"))]
    slots = {**pending["slots"], "to_branch_id": int(args[0])}
    ctx.done()
    return await run(ctx, slots)
