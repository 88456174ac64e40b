"""stock_out: "xuất 2 chai serum C cho phòng 3 dùng", "xuat kho 5 hop mat na hu hong".

A goods issue from the actor's branch (or the branch named) with its reason, confirmed on a card
before the "issue" move is written. More than on hand is refused before the card.
Payload: "sox:<key>" write.
"""

from __future__ import annotations

from typing import Any

from spacrm.core.services.stock import check_issue, issue_stock
from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff import stock_draft
from spacrm.intents.staff.stock_common import managed_product
from spacrm.intents.staff.stock_query import _qty


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    if slots.get("await_reason"):  # the answer to "xuất vì lý do gì?"
        slots = {**slots, "reason": str(slots.pop("text", "")).strip()}
        slots.pop("await_reason")
    found = await managed_product(ctx, "stock_out", slots)
    if isinstance(found, list):
        return found
    product_id, branch_id = found
    if slots.get("quantity") is None:
        written = slots.pop("text", None)
        if written is None or not str(written).strip():
            return ctx.ask("stock_out", slots, "text", ctx.t("ask.move_quantity"))
        slots["quantity"] = str(written)
    quantity = stock_draft.quantity_of(slots["quantity"])
    reason = str(slots.get("reason") or "").strip()
    if not reason:
        return ctx.ask("stock_out", {**slots, "await_reason": True}, "text",
                       ctx.t("ask.stock_out_reason"))  # fmt: skip
    ctx.done()
    row = await check_issue(ctx.actor, product_id=product_id, branch_id=branch_id,
                            quantity=quantity)  # fmt: skip
    text = ctx.t("stock_out.draft", qty=_qty(quantity), unit=row.unit, product=row.product_name,
                 branch=row.branch_name, reason=reason,
                 left=_qty(row.quantity - quantity))  # fmt: skip
    draft = {"kind": "out", "product_id": product_id, "branch_id": branch_id,
             "quantity": quantity, "reason": reason}  # fmt: skip
    return [stock_draft.card(ctx, draft, text, "btn.stock_out", "sox")]


async def write(ctx: Ctx, args: list[str]) -> list[Reply]:
    """ "Xuất kho": the issue is written (once per draft)."""
    draft = stock_draft.take(ctx, args[0], "out")
    if isinstance(draft, list):
        return draft
    row = await issue_stock(
        ctx.actor, product_id=int(draft["product_id"]), quantity=float(draft["quantity"]),
        branch_id=int(draft["branch_id"]), reason=str(draft["reason"]),
        idem_key=f"so:{draft['key']}",
    )  # fmt: skip
    stock_draft.written(ctx, args[0])
    text = ctx.t("ok.stock_out", qty=_qty(float(draft["quantity"])), unit=row.unit,
                 product=row.product_name, branch=row.branch_name, left=_qty(row.quantity))  # fmt: skip
    return [Reply(text, edit=True)]
