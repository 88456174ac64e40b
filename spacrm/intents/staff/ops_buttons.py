"""Buttons of the goods issue, stock transfer and refund cards (ops); buttons.py merges them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff import refund, stock_out, transfer_stock

Handler = Callable[[Ctx, list[str]], Awaitable[list[Reply]]]

OPS_BUTTONS: dict[str, Handler] = {
    "sox": stock_out.write,  # "Xuất kho"
    "stx": transfer_stock.write,  # "Chuyển kho"
    "stb": transfer_stock.press_branch,  # the target branch
    "rfy": refund.write,  # "Hoàn tiền": the payment voucher
    "rfo": refund.press_order,  # which order is refunded
}
