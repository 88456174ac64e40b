"""stock_query: "tồn kho serum vitamin C", "chi nhánh Gò Vấp còn bao nhiêu dầu massage"."""

from __future__ import annotations

from typing import Any

from spacrm.core.services.stock import stock_query
from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.stock_common import product_and_branch


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
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
