"""Refunds and stock-outs typed in chat (staffqa, then ops): never recorded as a payment or an
arrival, and nothing is written before the confirmation card is pressed; the front desk is told
a refund needs a branch director."""

from __future__ import annotations

from spacrm.bot.engine import Engine
from spacrm.core.actors import Actor
from spacrm.core.models import StockMove, Voucher
from tests.bot.test_engine_transcripts import Chat


async def test_refund_and_stock_out_write_nothing_unconfirmed(personas: dict[str, Actor]) -> None:
    chat = Chat(Engine(), personas["lt_q1"])
    vouchers, moves = await Voucher.all().count(), await StockMove.all().count()
    await chat.says("hoan tien c Lan 500k", "giám đốc chi nhánh")
    await chat.says("hoàn lại tiền cho anh Tín 2tr do hủy liệu trình", "giám đốc chi nhánh")
    await chat.says("xuất kho 2 chai dầu massage")  # a product pick or the reason asked
    assert await Voucher.all().count() == vouchers
    assert await StockMove.all().count() == moves
