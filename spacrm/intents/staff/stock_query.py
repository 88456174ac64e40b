"""stock_query: "tồn kho serum vitamin C", "chi nhánh Gò Vấp còn bao nhiêu dầu massage"."""

from __future__ import annotations

from typing import Any

from spacrm.core.services.stock import find_branch, stock_overview, stock_query
from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.stock_common import home_branch, product_and_branch

SHOWN = 15  # lines of an overview in chat


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    if not (slots.get("product") or slots.get("product_id") or slots.get("text")):
        return await _overview(ctx, slots)
    found = await product_and_branch(ctx, "stock_query", slots)
    if isinstance(found, list):
        return found
    ctx.done()
    product_id, branch_id = found
    rows = await stock_query(ctx.actor, product_id=product_id, branch_id=branch_id)
    if not rows:
        return [Reply(ctx.t("stock.none", product=slots.get("product", "")))]
    lines = [ctx.t("stock.title", product=rows[0].product_name)]
    lines += [
        ctx.t("stock.row", branch=r.branch_name, qty=_qty(r.quantity), unit=r.unit)
        + (" ⚠️" if r.qty_milli < 0 else "")
        for r in rows
    ]
    return [Reply("\n".join(lines))]


def _qty(value: float) -> str:
    return f"{value:g}".replace(".", ",")


async def _overview(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    """No product named ("tồn kho chi nhánh Q1", "sắp hết hàng gì"): the branch's stock, what
    runs low first, instead of asking which product."""
    ctx.done()
    if slots.get("branch"):
        branch = await find_branch(str(slots["branch"]))
        if branch is None:
            return [Reply(ctx.t("err.branch_not_found", name=slots["branch"]))]
        branch_id = branch.id
    else:
        branch_id = await home_branch(ctx)
    shelves = await stock_overview(ctx.actor, branch_id=branch_id)
    if slots.get("low"):
        shelves = [s for s in shelves if s.low]
    if not shelves:
        key = "stock.overview_none_low" if slots.get("low") else "stock.overview_none"
        return [Reply(ctx.t(key))]
    low = sum(s.low for s in shelves)
    lines = [ctx.t("stock.overview_title", branch=shelves[0].on_hand.branch_name, n=len(shelves))]
    if low:
        lines.append(ctx.t("stock.overview_low", low=low))
    for s in shelves[:SHOWN]:
        r = s.on_hand
        lines.append(ctx.t("stock.product_row", product=r.product_name, qty=_qty(r.quantity),
                           unit=r.unit) + (" ⚠️" if s.low else ""))  # fmt: skip
    if len(shelves) > SHOWN:
        lines.append(ctx.t("stock.overview_more", n=len(shelves) - SHOWN))
    return [Reply("\n".join(lines))]
