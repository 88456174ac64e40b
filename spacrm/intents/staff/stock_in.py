"""stock_in: "nhập kho 20 hộp serum vitamin C" — into the actor's branch warehouse by default."""

from __future__ import annotations

from typing import Any

from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.services.stock import stock_in
from spacrm.intents import format as fmt
from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.stock_common import home_branch, product_and_branch
from spacrm.intents.staff.stock_query import _qty


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    found = await product_and_branch(ctx, "stock_in", slots)
    if isinstance(found, list):
        return found
    product_id, branch_id = found
    written = slots.pop("text", None) or slots.get("quantity")
    if written is None or str(written).strip() == "":
        return ctx.ask("stock_in", slots, "text", ctx.t("ask.quantity"))
    ctx.done()
    try:
        quantity = float(str(written).split()[0].replace(",", "."))
    except (ValueError, IndexError):
        raise DomainError(ErrorCode.INVALID_VALUE, value=str(written)) from None
    unit_cost = slots.get("amount")
    row = await stock_in(
        ctx.actor, product_id=product_id, quantity=quantity,
        branch_id=branch_id or await home_branch(ctx),
        unit_cost=int(unit_cost) if unit_cost is not None else None,
    )  # fmt: skip
    text = ctx.t("ok.stock_in", qty=_qty(quantity), unit=row.unit, product=row.product_name,
                 branch=row.branch_name, left=_qty(row.quantity))  # fmt: skip
    if unit_cost is not None:
        text += "\n" + ctx.t("ok.stock_in_cost", cost=fmt.money(int(unit_cost)), unit=row.unit)
    return [Reply(text)]
